function Repair-SrLabAgentPackage
{
    <#
    .SYNOPSIS
        Simulates msiexec /fa (repair) of an installed QEMU guest agent product.

    .DESCRIPTION
        Reinstalls every file and component of the product, as Windows
        Installer does for REINSTALL=ALL: qemu-ga.exe, qga-vss.dll and
        qga-vss.tlb in its install folder, and the service keys QEMU-GA and
        QEMU Guest Agent VSS Provider when they are missing (an existing
        VssOption is kept: a repair is not an upgrade). QEMU-GA is started
        unless the fault AgentServiceStartFails is set. The VSS registration
        custom action runs only on a first install, so a repair leaves the
        COM+ registration as it is. Mutates -State; returns exit code 0 (3010
        with the InstallerRequiresReboot behaviour) and the log lines.

    .PARAMETER State
        The lab state.

    .PARAMETER Product
        The installed product record (state.msiProducts entry).

    .EXAMPLE
        Repair-SrLabAgentPackage -State $state -Product $state.msiProducts[0]

    .OUTPUTS
        System.Collections.Hashtable with exitCode and log.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $Product
    )

    $servicesKey = 'HKLM:\SYSTEM\CurrentControlSet\Services'
    $installDir = [string]$Product.installDir
    $log = New-Object -TypeName System.Collections.Generic.List[string]
    $log.Add(('Repair (REINSTALL=ALL, REINSTALLMODE=a): {0} {1}' -f $Product.productCode, $Product.version))
    foreach ($leaf in @('qemu-ga.exe', 'qga-vss.dll', 'qga-vss.tlb'))
    {
        Set-SrLabFile -State $State -Path ($installDir + '\' + $leaf) -Content ('LAB-BIN|{0}|{1}|{2}' -f $leaf, $Product.version, $Product.architecture)
    }
    $agentKey = $servicesKey + '\QEMU-GA'
    if (-not $State.registry.Contains($agentKey.ToLowerInvariant()))
    {
        Set-SrLabRegistryValue -State $State -Path $agentKey -Name 'DisplayName' -Data 'QEMU Guest Agent' -Type String
        Set-SrLabRegistryValue -State $State -Path $agentKey -Name 'Start' -Data 2 -Type DWord
        Set-SrLabRegistryValue -State $State -Path $agentKey -Name 'Type' -Data 16 -Type DWord
        Set-SrLabRegistryValue -State $State -Path $agentKey -Name 'ObjectName' -Data 'LocalSystem' -Type String
        Set-SrLabRegistryValue -State $State -Path $agentKey -Name 'ImagePath' -Data ('"{0}\qemu-ga.exe" -d --retry-path' -f $installDir) -Type ExpandString
        $log.Add('InstallServices: QEMU-GA')
    }
    $vssKey = $servicesKey + '\QEMU Guest Agent VSS Provider'
    if (-not $State.registry.Contains($vssKey.ToLowerInvariant()))
    {
        Set-SrLabRegistryValue -State $State -Path $vssKey -Name 'DisplayName' -Data 'QEMU Guest Agent VSS Provider' -Type String
        Set-SrLabRegistryValue -State $State -Path $vssKey -Name 'Start' -Data 3 -Type DWord
        Set-SrLabRegistryValue -State $State -Path $vssKey -Name 'Type' -Data 16 -Type DWord
        Set-SrLabRegistryValue -State $State -Path $vssKey -Name 'ObjectName' -Data '.\localsystem' -Type String
        $log.Add('InstallServices: QEMU Guest Agent VSS Provider')
    }
    if (@($State.faults) -notcontains 'AgentServiceStartFails')
    {
        $State.services['qemu-ga'] = [ordered]@{ status = 'Running' }
        $log.Add('StartServices: QEMU-GA started')
    }
    $exitCode = 0
    if (@($State.faults) -contains 'InstallerRequiresReboot')
    {
        $exitCode = 3010
    }
    $log.Add(('Repair completed with exit code {0}.' -f $exitCode))
    return @{ exitCode = $exitCode; log = $log }
}
