function Complete-SrLabBoot
{
    <#
    .SYNOPSIS
        Completes a simulated boot of the lab guest.

    .DESCRIPTION
        What a finished reboot changes: the boot counter advances and the
        last boot time becomes -BootTime (by default a synthetic time, one
        hour per boot after 2025-01-01, as the instant reboot has always
        done), the CBS RebootPending and WU RebootRequired keys and
        PendingFileRenameOperations are cleared (except the CBS key under the
        fault RebootPendingStuck: servicing that never completes sets it
        again at every boot), drivers waiting for a reboot
        are bound, Automatic services are started (the agent fails with
        AgentServiceStartFails) and all other services are Stopped (so the
        Manual VSS provider stays Stopped). The guest is 'up' afterwards.
        Mutates -State.

    .PARAMETER State
        The lab state.

    .PARAMETER BootTime
        The new last boot time (ISO 8601 string). Empty: the synthetic time.

    .EXAMPLE
        Complete-SrLabBoot -State $state -BootTime $state.upAt

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter()]
        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $BootTime
    )

    $State.os.bootCount = [int]$State.os.bootCount + 1
    if ([string]::IsNullOrEmpty($BootTime))
    {
        $BootTime = ([datetime]'2025-01-01T00:00:00Z').ToUniversalTime().AddHours([int]$State.os.bootCount).ToString('o')
    }
    $State.os.lastBootUpTime = $BootTime
    # Volatile registry keys (New-SrPlatformVolatileRegistryKey) do not survive a boot.
    foreach ($keyId in @($State.registry.Keys))
    {
        if ($State.registry.Contains($keyId) -and $State.registry[$keyId].Contains('volatile') -and $State.registry[$keyId]['volatile'])
        {
            Remove-SrLabRegistryKey -State $State -Path $State.registry[$keyId].path
        }
    }
    if (@($State.faults) -notcontains 'RebootPendingStuck')
    {
        Remove-SrLabRegistryKey -State $State -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
    }
    Remove-SrLabRegistryKey -State $State -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
    $sessionManager = 'hklm:\system\currentcontrolset\control\session manager'
    if ($State.registry.Contains($sessionManager))
    {
        $State.registry[$sessionManager].values.Remove('pendingfilerenameoperations')
    }
    foreach ($device in @($State.pnpDevices))
    {
        if ($device.Contains('pendingBind') -and $device.pendingBind)
        {
            $device.pendingBind = $false
            $device.status = 'OK'
            $device.driverVersion = '100.94.104.26600'
            $device.driverProvider = 'Red Hat, Inc.'
            $device.infName = 'oem3.inf'
            $device.friendlyName = 'VirtIO Serial Driver'
            $device.className = Get-SrLabText -State $State -Key 'PnpClassSystem'
        }
    }
    $prefix = 'hklm:\system\currentcontrolset\services\'
    foreach ($keyId in @($State.registry.Keys))
    {
        if (-not $keyId.StartsWith($prefix) -or $keyId.Substring($prefix.Length).Contains('\'))
        {
            continue
        }
        $name = $keyId.Substring($prefix.Length)
        $service = Get-SrLabService -State $State -Name $name
        if ($null -eq $service)
        {
            continue
        }
        $State.services[$name] = [ordered]@{ status = 'Stopped' }
        if ($service.startType -eq 'Automatic')
        {
            try
            {
                Start-SrLabService -State $State -Name $name
            }
            catch
            {
                $State.services[$name] = [ordered]@{ status = 'Stopped' }
            }
        }
    }
    $State.status = 'up'
    $State.upAt = $null
}
