function Resolve-SrHostFailure
{
    <#
    .SYNOPSIS
        Turns an ErrorRecord into the protocol's error fields.

    .DESCRIPTION
        An ErrorRecord built by New-SrHostErrorRecord keeps its category and
        retryable flag. Any other error is classified from its exception
        chain and message: authentication failures (permission denied,
        access denied, logon failure, bad user name or password, HTTP 401,
        host key verification) are 'auth', not retryable; transport failures
        (PSRemotingTransportException, connection refused or reset, time
        outs, unknown host, no route, a broken or closed session) are
        'unreachable', retryable. Everything else gets -DefaultCategory, not
        retryable. The message is the exception's own; host functions never
        put a credential into one.

    .PARAMETER ErrorRecord
        The error to classify.

    .PARAMETER DefaultCategory
        Category of an error that is neither a transport nor an
        authentication failure.

    .PARAMETER DefaultErrorId
        Error id of such an error, and of a classified one that has no
        snapready id.

    .PARAMETER Detail
        Extra text about the failure (for example what ssh wrote to its
        standard error), used for the classification and put in front of
        the exception message.

    .EXAMPLE
        Resolve-SrHostFailure -ErrorRecord $_ -DefaultCategory guest -DefaultErrorId 'SrHostRemoteModuleFailed'

    .OUTPUTS
        System.Management.Automation.PSCustomObject: message, category, errorId, retryable.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorRecord]
        $ErrorRecord,

        [Parameter(Mandatory = $true)]
        [ValidateSet('unreachable', 'auth', 'guest', 'protocol', 'config', 'timeout')]
        [string]
        $DefaultCategory,

        [Parameter(Mandatory = $true)]
        [string]
        $DefaultErrorId,

        [Parameter()]
        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $Detail
    )

    $target = $ErrorRecord.TargetObject
    if ($null -ne $target -and $null -ne $target.PSObject -and $null -ne $target.PSObject.Properties['srHostCategory'])
    {
        return [pscustomobject][ordered]@{
            message   = $ErrorRecord.Exception.Message
            category  = [string]$target.srHostCategory
            errorId   = ([string]$ErrorRecord.FullyQualifiedErrorId).Split(',')[0]
            retryable = [bool]$target.retryable
        }
    }

    $messages = New-Object -TypeName System.Collections.Generic.List[string]
    $transport = $false
    $exception = $ErrorRecord.Exception
    while ($null -ne $exception)
    {
        $messages.Add([string]$exception.Message)
        if ($exception -is [System.Management.Automation.Remoting.PSRemotingTransportException] -or
            $exception -is [System.Management.Automation.Remoting.PSRemotingDataStructureException] -or
            $exception -is [System.Net.Sockets.SocketException] -or
            $exception -is [System.TimeoutException])
        {
            $transport = $true
        }
        $exception = $exception.InnerException
    }
    $text = ([string]$Detail) + ' | ' + ($messages -join ' | ') + ' | ' + [string]$ErrorRecord.FullyQualifiedErrorId
    $message = [string]$ErrorRecord.Exception.Message
    if (-not [string]::IsNullOrWhiteSpace($Detail))
    {
        $message = '{0} ({1})' -f $Detail.Trim(), $message
    }
    $authPattern = 'Permission denied|Access is denied|Access denied|Logon failure|user name or password|authentication|unauthori[sz]ed|\b401\b|Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|Too many authentication failures|no matching host key|AccessDenied'
    $transportPattern = 'Connection refused|connection reset|Connection closed|closed by remote host|timed out|time-out|timeout|No route to host|Network is unreachable|Could not resolve|Name or service not known|nodename nor servname|cannot be resolved|unreachable|WinRM cannot complete|session might have ended|session has ended|state of the session|Broken|PSSessionStateBroken|transport|connect to host|kex_exchange_identification|banner exchange'
    if ($text -match $authPattern)
    {
        return [pscustomobject][ordered]@{ message = $message; category = 'auth'; errorId = 'SrHostAuthenticationFailed'; retryable = $false }
    }
    if ($transport -or $text -match $transportPattern)
    {
        return [pscustomobject][ordered]@{ message = $message; category = 'unreachable'; errorId = 'SrHostUnreachable'; retryable = $true }
    }
    [pscustomobject][ordered]@{ message = $message; category = $DefaultCategory; errorId = $DefaultErrorId; retryable = $false }
}
