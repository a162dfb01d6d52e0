function Request-SrReboot
{
    <#
    .SYNOPSIS
        Records a reboot request and restarts the guest.

    .DESCRIPTION
        Writes the request into the marker key (reported as
        SNAPREADY_REQUESTED until the next boot), records the attempt (the
        boot it reboots from and the other pending reasons, see
        Set-SrRebootAttempt and Register-SrRebootOutcome) and restarts the
        computer. Recording creates the boot id of the current boot (the
        volatile key HKLM\SOFTWARE\snapready\Boot, Get-SrBootId -Create)
        if none exists yet, so that the record names the boot by its id.
        Supports -WhatIf/-Confirm; under -WhatIf nothing is done and changed
        is $false. ConfirmImpact is Medium so that the non-interactive remote
        runner is not prompted.

    .PARAMETER Reason
        Short reason recorded with the request.

    .EXAMPLE
        Request-SrReboot -Reason 'agent install returned 3010'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired and detail.
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [ValidateLength(1, 200)]
        [string]
        $Reason = 'requested by snapready'
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    if (-not $PSCmdlet.ShouldProcess('this computer', 'Restart'))
    {
        return New-SrResult -Changed $false -RebootRequired $true -Detail 'Reboot not performed (WhatIf or declined).'
    }
    Set-SrRebootAttempt
    Set-SrRebootRequested -Reason $Reason -RequestedBy reboot
    Restart-SrPlatformComputer
    New-SrResult -Changed $true -RebootRequired $true -Detail ('Reboot started: {0}.' -f $Reason)
}
