function Invoke-SrLabQemuGa
{
    <#
    .SYNOPSIS
        Simulates qemu-ga.exe -s vss-install / vss-uninstall.

    .DESCRIPTION
        vss-install needs qga-vss.dll and qga-vss.tlb next to the exe
        ("Failed to lookup tlb" otherwise) and fails with
        "QGA VSS Provider is already installed. (Error: 80004004) Operation
        aborted" (exit code 1, unverified) when the COM+ application already
        exists; otherwise it creates the COM+ application
        'QEMU Guest Agent VSS Provider' and CLSID
        {6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}\InprocServer32 = <dir>\qga-vss.dll.
        vss-uninstall removes both (exit 0 even when nothing is registered).
        Mutates -State.

    .PARAMETER State
        The lab state.

    .PARAMETER ExePath
        Path of qemu-ga.exe.

    .PARAMETER ArgumentList
        Arguments.

    .EXAMPLE
        Invoke-SrLabQemuGa -State $state -ExePath 'C:\Program Files\Qemu-ga\qemu-ga.exe' -ArgumentList '-s', 'vss-install'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with exitCode, stdout and stderr.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $ExePath,

        [Parameter()]
        [AllowEmptyCollection()]
        [string[]]
        $ArgumentList = @()
    )

    $clsidKey = 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}'
    $providerKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}'
    $appName = 'QEMU Guest Agent VSS Provider'
    $dir = $ExePath.Substring(0, $ExePath.LastIndexOf('\'))
    $verb = ($ArgumentList -join ' ')
    if ($verb -ceq '-s vss-install')
    {
        if (@($State.comPlus | Where-Object { $_.name -eq $appName }).Count -gt 0)
        {
            return [pscustomobject]@{ exitCode = 1; stdout = ('QGA VSS Provider is already installed. (Error: 80004004) {0}' -f (Get-SrLabText -State $State -Key 'HrAborted')); stderr = '' }
        }
        if ($null -eq (Get-SrLabFile -State $State -Path ($dir + '\qga-vss.dll')) -or $null -eq (Get-SrLabFile -State $State -Path ($dir + '\qga-vss.tlb')))
        {
            return [pscustomobject]@{ exitCode = 1; stdout = ''; stderr = 'Failed to lookup tlb' }
        }
        if ($State.registry.Contains($providerKey.ToLowerInvariant()))
        {
            # A stale VSS Providers key, even with no COM+ application and no CLSID, blocks the registration.
            return [pscustomobject]@{ exitCode = 1; stdout = ''; stderr = 'Failed to register the provider with VSS (Error: 80042304)' }
        }
        Set-SrLabRegistryValue -State $State -Path $providerKey -Name '(default)' -Data $appName -Type String
        $State.comPlus = @($State.comPlus) + @([ordered]@{ name = $appName; dllPath = ($dir + '\qga-vss.dll') })
        Set-SrLabRegistryValue -State $State -Path $clsidKey -Name '(default)' -Data $appName -Type String
        Set-SrLabRegistryValue -State $State -Path ($clsidKey + '\InprocServer32') -Name '(default)' -Data ($dir + '\qga-vss.dll') -Type String
        Set-SrLabRegistryValue -State $State -Path ($clsidKey + '\InprocServer32') -Name 'ThreadingModel' -Data 'Both' -Type String
        return [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' }
    }
    if ($verb -ceq '-s vss-uninstall')
    {
        # The provider is unregistered from VSS through its COM+ application: a Providers key without one stays.
        if (@($State.comPlus | Where-Object { $_.name -eq $appName }).Count -gt 0)
        {
            Remove-SrLabRegistryKey -State $State -Path $providerKey
        }
        $State.comPlus = @($State.comPlus | Where-Object { $_.name -ne $appName })
        Remove-SrLabRegistryKey -State $State -Path $clsidKey
        return [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' }
    }
    return [pscustomobject]@{ exitCode = 1; stdout = ''; stderr = ("qemu-ga: unsupported arguments in the lab: {0}" -f $verb) }
}
