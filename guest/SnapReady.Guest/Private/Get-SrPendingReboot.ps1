function Get-SrPendingReboot
{
    <#
    .SYNOPSIS
        Collects the pending-reboot signals.

    .DESCRIPTION
        Reasons, in this order: CBS_REBOOT_PENDING (Component Based
        Servicing\RebootPending key), WU_REBOOT_REQUIRED (WindowsUpdate\Auto
        Update\RebootRequired key), PENDING_FILE_RENAME (non-empty Session
        Manager PendingFileRenameOperations), SNAPREADY_REQUESTED (the marker
        key records a reboot request or an msiexec/pnputil 3010/1641 in the
        current boot).
        "In the current boot" compares the boot id recorded with a request or
        check (RebootRequestedBootId, RebootCheckedBootId) with the current
        one (Test-SrSameBoot); the recorded LastBootUpTime is compared only
        when either side has no boot id.
        requestedBy: while SNAPREADY_REQUESTED is pending, the requesters
        recorded with it (RebootRequestedBy: agent, driver, reboot, other);
        empty otherwise, and empty for a request recorded without them.
        notClearedByReboot: while the guest is still in the boot in which
        Register-SrRebootOutcome checked snapready's last reboot
        (RebootCheckedBootId, else RebootCheckedBootTime), the reasons it
        found still pending then (RebootCheckedReasons) that are pending now
        as well.

    .PARAMETER LastBootUpTime
        Current last boot time (ISO 8601) from Get-SrPlatformOs.

    .PARAMETER BootId
        Current boot id (Get-SrBootId). When not given it is read (read-only);
        pass an empty string for none.

    .EXAMPLE
        Get-SrPendingReboot -LastBootUpTime (Get-SrPlatformOs).lastBootUpTime

    .OUTPUTS
        System.Management.Automation.PSCustomObject with pending, reasons,
        requestedBy and notClearedByReboot.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $LastBootUpTime,

        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $BootId
    )

    if (-not $PSBoundParameters.ContainsKey('BootId'))
    {
        $BootId = Get-SrBootId
    }

    $reasons = New-Object -TypeName System.Collections.Generic.List[string]
    if (Test-SrPlatformRegistryKey -Path $script:SrConst.CbsRebootPendingKey)
    {
        $reasons.Add('CBS_REBOOT_PENDING')
    }
    if (Test-SrPlatformRegistryKey -Path $script:SrConst.WuRebootRequiredKey)
    {
        $reasons.Add('WU_REBOOT_REQUIRED')
    }
    $renames = @(Get-SrPlatformRegistryValue -Path $script:SrConst.SessionManagerKey -Name 'PendingFileRenameOperations' |
            Where-Object { -not [string]::IsNullOrEmpty([string]$_) })
    if ($renames.Count -gt 0)
    {
        $reasons.Add('PENDING_FILE_RENAME')
    }
    $inThisBoot = {
        param([string] $Prefix)
        $recordedId = Get-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name ($Prefix + 'BootId')
        $recordedTime = Get-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name ($Prefix + 'BootTime')
        Test-SrSameBoot -RecordedBootId ([string]$recordedId) -RecordedBootTime ([string]$recordedTime) -BootId $BootId -BootTime $LastBootUpTime
    }
    $listed = {
        param([string] $Name)
        $value = Get-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name $Name
        if ($null -eq $value) { return @() }
        @(([string]$value).Split(',') | Where-Object { -not [string]::IsNullOrEmpty($_) })
    }
    $requestedBy = @()
    if (& $inThisBoot 'RebootRequested')
    {
        $reasons.Add('SNAPREADY_REQUESTED')
        $requestedBy = @(& $listed 'RebootRequestedBy' | Where-Object { @('agent', 'driver', 'reboot', 'other') -ccontains $_ } | Select-Object -Unique)
    }
    $notCleared = @()
    if (& $inThisBoot 'RebootChecked')
    {
        $checked = @(& $listed 'RebootCheckedReasons')
        $notCleared = @($reasons | Where-Object { $_ -ne 'SNAPREADY_REQUESTED' -and $checked -ccontains $_ })
    }
    [pscustomobject]@{
        pending            = ($reasons.Count -gt 0)
        reasons            = [string[]]$reasons.ToArray()
        requestedBy        = [string[]]$requestedBy
        notClearedByReboot = [string[]]$notCleared
    }
}
