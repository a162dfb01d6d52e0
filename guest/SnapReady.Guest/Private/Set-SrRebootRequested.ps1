function Set-SrRebootRequested
{
    <#
    .SYNOPSIS
        Records in the marker key that snapready needs or requested a reboot.

    .DESCRIPTION
        Writes RebootRequestedBootTime (the current last boot time) and
        RebootRequestedReason under HKLM\SOFTWARE\snapready. The request is
        pending while the last boot time is unchanged, so it clears itself
        after the next reboot; no clean-up step is needed. Get-SrGuestFact
        reports it as SNAPREADY_REQUESTED.

    .PARAMETER Reason
        Short reason, for example 'msiexec exit code 3010'.

    .EXAMPLE
        Set-SrRebootRequested -Reason 'msiexec exit code 3010'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Reason
    )

    $os = Get-SrPlatformOs
    Set-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name 'RebootRequestedBootTime' -Value ([string]$os.lastBootUpTime) -Type String
    Set-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name 'RebootRequestedReason' -Value $Reason -Type String
}
