function New-SrHostFailureResponse
{
    <#
    .SYNOPSIS
        The one-line error answer for a failure caught by a public entry point.

    .DESCRIPTION
        Classifies the error record (Resolve-SrHostFailure; an error the host
        module did not raise itself is 'guest' / SrHostUnexpected) and writes
        it as New-SrHostResponse does. Should that fail too, a fixed answer
        (SrHostInternal) is returned: Invoke-SrHostRequest and
        Invoke-SrHostBatch never throw and always answer one line.

    .PARAMETER ErrorRecord
        The caught error.

    .EXAMPLE
        $line = New-SrHostFailureResponse -ErrorRecord $_

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorRecord]
        $ErrorRecord
    )

    try
    {
        $failure = Resolve-SrHostFailure -ErrorRecord $ErrorRecord -DefaultCategory guest -DefaultErrorId 'SrHostUnexpected'
        New-SrHostResponse -Message $failure.message -Category $failure.category -ErrorId $failure.errorId -Retryable $failure.retryable
    }
    catch
    {
        '{"ok":false,"error":{"message":"the host module failed while reporting an error","category":"guest","errorId":"SrHostInternal","retryable":false}}'
    }
}
