function New-SrErrorRecord
{
    <#
    .SYNOPSIS
        Builds an ErrorRecord for a terminating snapready error.

    .DESCRIPTION
        The one ErrorRecord builder of snapready. The exception is an
        InvalidOperationException with -Message; the TargetObject is a
        PSCustomObject holding the -Property fields (in key order) followed
        by a retryable flag, so that Invoke-SrGuestCommand and the remote
        runner can tell a transient failure (msiexec 1618) from a permanent
        one.
        It lives in the guest module because only that module is shipped to
        guests. The host module (host/SnapReady.Host) dot-sources this file
        at import and wraps it in New-SrHostErrorRecord; the lab
        (guest/lab/SnapReady.Lab) calls it in the scope of the imported
        SnapReady.Guest module. Keep it Windows PowerShell 5.1 compatible.

    .PARAMETER Message
        Clear, complete error message.

    .PARAMETER ErrorId
        Stable error identifier, for example SrInstallerFailed.

    .PARAMETER Category
        PowerShell error category.

    .PARAMETER Retryable
        Whether the same call may succeed later.

    .PARAMETER Property
        Extra fields for the TargetObject, for example exitCode.

    .EXAMPLE
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -Message 'msiexec returned 1603.' -ErrorId 'SrInstallerFailed' -Category InvalidResult))

    .OUTPUTS
        System.Management.Automation.ErrorRecord.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Message,

        [Parameter(Mandatory = $true)]
        [string]
        $ErrorId,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorCategory]
        $Category,

        [Parameter()]
        [bool]
        $Retryable = $false,

        [Parameter()]
        [System.Collections.IDictionary]
        $Property = @{}
    )

    $target = [ordered]@{}
    foreach ($key in @($Property.Keys | Sort-Object))
    {
        $target[$key] = $Property[$key]
    }
    $target['retryable'] = $Retryable
    $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $ErrorId, $Category, ([pscustomobject]$target)
}
