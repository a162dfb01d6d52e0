function Set-SrRebootAttempt
{
    <#
    .SYNOPSIS
        Records in the marker key that snapready is about to reboot, and why.

    .DESCRIPTION
        Writes under HKLM\SOFTWARE\snapready: RebootAttemptBootId and
        RebootAttemptBootTime (the boot snapready reboots from: its boot id,
        created here if this boot has none yet, and its LastBootUpTime, the
        fallback for readers without a boot id), RebootAttemptAt (now, ISO 8601 UTC, the
        guest's clock) and RebootAttemptReasons (the pending-reboot reasons
        other than snapready's own, comma-separated; empty when none). After
        the reboot, Register-SrRebootOutcome compares them with what is still
        pending, so that a signal a reboot does not clear is not rebooted for
        again and again (REBOOT_PENDING_STUCK).

    .EXAMPLE
        Set-SrRebootAttempt

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param ()

    $os = Get-SrPlatformOs
    $bootTime = [string]$os.lastBootUpTime
    $bootId = Get-SrBootId -Create
    $pending = Get-SrPendingReboot -LastBootUpTime $bootTime -BootId $bootId
    $others = @($pending.reasons | Where-Object { $_ -ne 'SNAPREADY_REQUESTED' })
    $key = $script:SrConst.MarkerKey
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptBootId' -Value $bootId -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptBootTime' -Value $bootTime -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptAt' -Value ([datetime]::UtcNow.ToString('o')) -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptReasons' -Value ($others -join ',') -Type String
}
