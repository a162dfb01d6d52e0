function Install-SrLabAgentPackage
{
    <#
    .SYNOPSIS
        Simulates the QEMU guest agent MSI (install or major upgrade).

    .DESCRIPTION
        Works on a copy of the state and returns the exit code and the new
        state (or the unchanged state on rollback):
        1. RemoveExistingProducts: every installed product of UpgradeCode
           {EB6B8302-C06E-4BEC-ADAC-932C68A3A98D} is removed; its uninstall
           custom action (vss-uninstall) removes the VSS registration only if
           it belongs to that product (InprocServer32 = its own qga-vss.dll).
           A stale registration survives.
        2. Files qemu-ga.exe, qga-vss.dll, qga-vss.tlb in the install folder
           (C:\Program Files\Qemu-ga, or C:\Program Files (x86)\Qemu-ga for a
           32-bit product on 64-bit Windows).
        3. Services QEMU-GA (Automatic, LocalSystem, ImagePath
           "<dir>\qemu-ga.exe" -d --retry-path) and QEMU Guest Agent VSS
           Provider (Manual, .\localsystem, VssOption reset to 1).
        4. Custom action qemu-ga.exe -s vss-install: fails with 80004004 when a
           registration exists, which rolls the whole install back (1603).
        5. Uninstall entry (DisplayName 'QEMU guest agent', DisplayVersion,
           new ProductCode), QEMU-GA started (unless AgentServiceStartFails),
           VSS provider Stopped.
        6. Exit 3010 and PendingFileRenameOperations with the
           InstallerRequiresReboot behaviour, else 0.

    .PARAMETER State
        The lab state.

    .PARAMETER Version
        Product version.

    .PARAMETER Architecture
        Product architecture (x64 or x86).

    .EXAMPLE
        $outcome = Install-SrLabAgentPackage -State $state -Version '108.0.2' -Architecture x64

    .OUTPUTS
        System.Collections.Hashtable with exitCode, state and log.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Version,

        [Parameter(Mandatory = $true)]
        [ValidateSet('x64', 'x86')]
        [string]
        $Architecture
    )

    $upgradeCode = '{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}'
    $clsidKey = 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}'
    $servicesKey = 'HKLM:\SYSTEM\CurrentControlSet\Services'
    $work = Copy-SrLabState -State $State
    $log = New-Object -TypeName System.Collections.Generic.List[string]

    foreach ($product in @($work.msiProducts | Where-Object { $_.upgradeCode -eq $upgradeCode }))
    {
        $log.Add(('RemoveExistingProducts: {0} {1}' -f $product.productCode, $product.version))
        $ownDll = ($product.installDir + '\qga-vss.dll').ToLowerInvariant()
        $work.comPlus = @($work.comPlus | Where-Object { -not ($_.name -eq 'QEMU Guest Agent VSS Provider' -and ([string]$_.dllPath).ToLowerInvariant() -eq $ownDll) })
        $inproc = Get-SrLabRegistryValue -State $work -Path ($clsidKey + '\InprocServer32') -Name '(default)'
        if ($null -ne $inproc -and ([string]$inproc).ToLowerInvariant() -eq $ownDll)
        {
            Remove-SrLabRegistryKey -State $work -Path $clsidKey
            Remove-SrLabRegistryKey -State $work -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}'
        }
        foreach ($leaf in @('qemu-ga.exe', 'qga-vss.dll', 'qga-vss.tlb'))
        {
            $work.files.Remove(($product.installDir + '\' + $leaf).ToLowerInvariant())
        }
        foreach ($serviceName in @('QEMU-GA', 'QEMU Guest Agent VSS Provider'))
        {
            Remove-SrLabRegistryKey -State $work -Path ($servicesKey + '\' + $serviceName)
            $work.services.Remove($serviceName.ToLowerInvariant())
        }
        Remove-SrLabRegistryKey -State $work -Path $product.uninstallKey
        $work.msiProducts = @($work.msiProducts | Where-Object { $_.productCode -ne $product.productCode })
    }

    $wow = ($Architecture -eq 'x86' -and $work.os.architecture -ne 'x86')
    $installDir = 'C:\Program Files\Qemu-ga'
    $uninstallRoot = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall'
    if ($wow)
    {
        $installDir = 'C:\Program Files (x86)\Qemu-ga'
        $uninstallRoot = 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall'
    }
    foreach ($leaf in @('qemu-ga.exe', 'qga-vss.dll', 'qga-vss.tlb'))
    {
        Set-SrLabFile -State $work -Path ($installDir + '\' + $leaf) -Content ('LAB-BIN|{0}|{1}|{2}' -f $leaf, $Version, $Architecture)
    }
    $log.Add(('InstallFiles: {0}' -f $installDir))

    $agentKey = $servicesKey + '\QEMU-GA'
    Set-SrLabRegistryValue -State $work -Path $agentKey -Name 'DisplayName' -Data 'QEMU Guest Agent' -Type String
    Set-SrLabRegistryValue -State $work -Path $agentKey -Name 'Start' -Data 2 -Type DWord
    Set-SrLabRegistryValue -State $work -Path $agentKey -Name 'Type' -Data 16 -Type DWord
    Set-SrLabRegistryValue -State $work -Path $agentKey -Name 'ObjectName' -Data 'LocalSystem' -Type String
    Set-SrLabRegistryValue -State $work -Path $agentKey -Name 'ImagePath' -Data ('"{0}\qemu-ga.exe" -d --retry-path' -f $installDir) -Type ExpandString
    $vssKey = $servicesKey + '\QEMU Guest Agent VSS Provider'
    Set-SrLabRegistryValue -State $work -Path $vssKey -Name 'DisplayName' -Data 'QEMU Guest Agent VSS Provider' -Type String
    Set-SrLabRegistryValue -State $work -Path $vssKey -Name 'Start' -Data 3 -Type DWord
    Set-SrLabRegistryValue -State $work -Path $vssKey -Name 'Type' -Data 16 -Type DWord
    Set-SrLabRegistryValue -State $work -Path $vssKey -Name 'ObjectName' -Data '.\localsystem' -Type String
    Set-SrLabRegistryValue -State $work -Path $vssKey -Name 'VssOption' -Data 1 -Type DWord
    $log.Add('InstallServices: QEMU-GA, QEMU Guest Agent VSS Provider (VssOption=1)')

    $registration = Invoke-SrLabQemuGa -State $work -ExePath ($installDir + '\qemu-ga.exe') -ArgumentList @('-s', 'vss-install')
    if ($registration.exitCode -ne 0)
    {
        $log.Add(('CustomAction RegisterCom: qemu-ga.exe -s vss-install failed: {0}' -f $registration.stdout.Trim()))
        $log.Add('Error 1722: A program run as part of the setup did not finish as expected. Rolling back.')
        return @{ exitCode = 1603; state = $State; log = $log }
    }
    $log.Add('CustomAction RegisterCom: vss-install ok')

    $productCode = '{' + ([guid]::NewGuid().ToString().ToUpperInvariant()) + '}'
    $uninstallKey = $uninstallRoot + '\' + $productCode
    Set-SrLabRegistryValue -State $work -Path $uninstallKey -Name 'DisplayName' -Data 'QEMU guest agent' -Type String
    Set-SrLabRegistryValue -State $work -Path $uninstallKey -Name 'DisplayVersion' -Data $Version -Type String
    Set-SrLabRegistryValue -State $work -Path $uninstallKey -Name 'Publisher' -Data 'RedHat' -Type String
    Set-SrLabRegistryValue -State $work -Path $uninstallKey -Name 'WindowsInstaller' -Data 1 -Type DWord
    $work.msiProducts = @($work.msiProducts) + @([ordered]@{
            productCode  = $productCode
            upgradeCode  = $upgradeCode
            version      = $Version
            architecture = $Architecture
            installDir   = $installDir
            uninstallKey = $uninstallKey
        })

    $work.services['qemu guest agent vss provider'] = [ordered]@{ status = 'Stopped' }
    $work.services['qemu-ga'] = [ordered]@{ status = 'Stopped' }
    if (@($work.faults) -notcontains 'AgentServiceStartFails')
    {
        $work.services['qemu-ga'] = [ordered]@{ status = 'Running' }
        $log.Add('StartServices: QEMU-GA started')
    }
    else
    {
        $log.Add('StartServices: QEMU-GA failed to start (fault AgentServiceStartFails)')
    }

    $exitCode = 0
    if (@($work.faults) -contains 'InstallerRequiresReboot')
    {
        Set-SrLabRegistryValue -State $work -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name 'PendingFileRenameOperations' -Data @('\??\' + $installDir + '\qemu-ga.exe.pending', '') -Type MultiString
        $exitCode = 3010
    }
    $log.Add((Get-SrLabText -State $work -Key 'MsiCompleted' -Argument $exitCode))
    return @{ exitCode = $exitCode; state = $work; log = $log }
}
