function Get-SrHostMillisecondsLeft
{
    <#
    .SYNOPSIS
        The time left until a deadline, as a remote call's time limit.

    .DESCRIPTION
        Milliseconds from now until -Deadline (UTC), as an [int] from 1 to
        [int]::MaxValue: a deadline already passed still gives the next call
        1 ms, so that it fails as a time-out of its own rather than with a
        parameter error.

    .PARAMETER Deadline
        The deadline, in UTC.

    .EXAMPLE
        Invoke-SrHostSessionCommand ... -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $deadline)

    .OUTPUTS
        System.Int32.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param
    (
        [Parameter(Mandatory = $true)]
        [datetime]
        $Deadline
    )

    [int][math]::Max(1, [math]::Min([int]::MaxValue, ($Deadline - [datetime]::UtcNow).TotalMilliseconds))
}
