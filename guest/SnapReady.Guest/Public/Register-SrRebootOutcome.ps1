function Register-SrRebootOutcome
{
    <#
    .SYNOPSIS
        After snapready's reboot, records which pending-reboot signals it did not clear.

    .DESCRIPTION
        Request-SrReboot records the boot it reboots from and the reasons
        other than snapready's own that were pending then (RebootAttempt*
        under HKLM\SOFTWARE\snapready). Called once the guest is back, this
        records the current boot as RebootCheckedBootId (its boot id, created
        here if this boot has none yet) and RebootCheckedBootTime and, as
        RebootCheckedReasons, those of the recorded reasons that are still
        pending. While the guest stays in that boot, Get-SrGuestFact reports
        them (still pending) as pendingReboot.notClearedByReboot, and the
        runner does not reboot for them again (REBOOT_PENDING_STUCK). A
        reason that clears and comes back in the same boot cannot be told
        apart from one that never cleared; after the next boot it counts as
        new. Boots are told apart by their boot ids (Test-SrSameBoot), not
        by LastBootUpTime, which can change within a boot; the boot times are
        compared only for a record without a boot id (an older module).
        No-op (changed = $false) when snapready never rebooted the
        guest, when the guest is still in the boot the reboot was requested
        from, and when this boot was already checked.

    .EXAMPLE
        Register-SrRebootOutcome

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, attemptAt, bootTime and notCleared.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $key = $script:SrConst.MarkerKey
    $os = Get-SrPlatformOs
    $bootTime = [string]$os.lastBootUpTime
    $attemptBootId = [string](Get-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptBootId')
    $attemptBoot = [string](Get-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptBootTime')
    $attemptAt = [string](Get-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptAt')
    $split = { param([string] $Text) @($Text.Split(',') | Where-Object { -not [string]::IsNullOrEmpty($_) }) }
    $property = @{ attemptAt = $attemptAt; bootTime = $bootTime; notCleared = [string[]]@() }
    if ([string]::IsNullOrEmpty($attemptBoot) -and [string]::IsNullOrEmpty($attemptBootId))
    {
        return New-SrResult -Changed $false -Detail 'snapready has not rebooted this guest.' -Property $property
    }
    $bootId = Get-SrBootId -Create
    if (Test-SrSameBoot -RecordedBootId $attemptBootId -RecordedBootTime $attemptBoot -BootId $bootId -BootTime $bootTime)
    {
        return New-SrResult -Changed $false -Detail ('The reboot requested at {0} has not happened yet.' -f $attemptAt) -Property $property
    }
    $checkedBootId = [string](Get-SrPlatformRegistryValue -Path $key -Name 'RebootCheckedBootId')
    $checkedBoot = [string](Get-SrPlatformRegistryValue -Path $key -Name 'RebootCheckedBootTime')
    if (Test-SrSameBoot -RecordedBootId $checkedBootId -RecordedBootTime $checkedBoot -BootId $bootId -BootTime $bootTime)
    {
        $property.notCleared = [string[]](& $split ([string](Get-SrPlatformRegistryValue -Path $key -Name 'RebootCheckedReasons')))
        return New-SrResult -Changed $false -Detail 'The outcome of snapready''s last reboot is already recorded for this boot.' -Property $property
    }
    $attemptReasons = & $split ([string](Get-SrPlatformRegistryValue -Path $key -Name 'RebootAttemptReasons'))
    $pending = Get-SrPendingReboot -LastBootUpTime $bootTime -BootId $bootId
    $notCleared = [string[]]@($pending.reasons | Where-Object { $_ -ne 'SNAPREADY_REQUESTED' -and $attemptReasons -ccontains $_ })
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootCheckedBootId' -Value $bootId -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootCheckedBootTime' -Value $bootTime -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootCheckedReasons' -Value ($notCleared -join ',') -Type String
    $property.notCleared = $notCleared
    $detail = 'Nothing that was pending before snapready''s reboot of {0} is still pending.' -f $attemptAt
    if ($notCleared.Count -gt 0)
    {
        $detail = 'snapready''s reboot of {0} did not clear {1}: it is not rebooted for again until something changes.' -f $attemptAt, ($notCleared -join ', ')
    }
    New-SrResult -Changed $true -Detail $detail -Property $property
}
