function New-SrLabUnreachableError
{
    <#
    .SYNOPSIS
        Builds the error record of a lab guest that cannot be reached.

    .DESCRIPTION
        A rebooting or down lab guest fails every platform call with this
        record: FullyQualifiedErrorId SrGuestUnreachable, category
        ConnectionError, and a TargetObject { retryable = $true, status,
        upAt } so that Invoke-SrGuestCommand reports it as retryable, the
        way a dropped remoting session is retryable for the runner.

    .PARAMETER Name
        The guest's name (the state file name without extension).

    .PARAMETER Status
        'rebooting' or 'down'.

    .PARAMETER UpAt
        When a rebooting guest is back (ISO 8601, UTC).

    .EXAMPLE
        $PSCmdlet.ThrowTerminatingError((New-SrLabUnreachableError -Name 'sql01' -Status rebooting -UpAt $state.upAt))

    .OUTPUTS
        System.Management.Automation.ErrorRecord.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [ValidateSet('rebooting', 'down')]
        [string]
        $Status,

        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $UpAt
    )

    if ($Status -eq 'rebooting')
    {
        $message = 'lab guest {0} is unreachable (rebooting until {1})' -f $Name, $UpAt
    }
    else
    {
        $message = 'lab guest {0} is unreachable (down: it did not come back from the last reboot)' -f $Name
    }
    $target = [pscustomobject][ordered]@{
        retryable = $true
        status    = $Status
        upAt      = $UpAt
    }
    $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
    New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'SrGuestUnreachable', ([System.Management.Automation.ErrorCategory]::ConnectionError), $target
}
