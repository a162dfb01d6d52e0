function New-SrErrorRecord
{
    <#
    .SYNOPSIS
        Builds an ErrorRecord for a terminating error of a primitive.

    .DESCRIPTION
        The TargetObject always carries a retryable flag (and any extra
        fields) so that Invoke-SrGuestCommand and the remote runner can tell a
        transient failure (msiexec 1618) from a permanent one.

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
