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
        key records a reboot request or an msiexec/pnputil 3010/1641 since
        the current boot).

    .PARAMETER LastBootUpTime
        Current last boot time (ISO 8601) from Get-SrPlatformOs.

    .EXAMPLE
        Get-SrPendingReboot -LastBootUpTime (Get-SrPlatformOs).lastBootUpTime

    .OUTPUTS
        System.Management.Automation.PSCustomObject with pending and reasons.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $LastBootUpTime
    )

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
    $requestedAt = Get-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name 'RebootRequestedBootTime'
    if (-not [string]::IsNullOrEmpty([string]$requestedAt) -and [string]$requestedAt -eq $LastBootUpTime)
    {
        $reasons.Add('SNAPREADY_REQUESTED')
    }
    [pscustomobject]@{
        pending = ($reasons.Count -gt 0)
        reasons = [string[]]$reasons.ToArray()
    }
}
