function Invoke-SrHostRequest
{
    <#
    .SYNOPSIS
        Performs one runner request and writes exactly one line of JSON.

    .DESCRIPTION
        The only command the TypeScript runner sends to its pwsh workers:
        Invoke-SrHostRequest -RequestBase64 '<base64>'. The request is base64
        of UTF-8 JSON with an "op":
        connect    {id, transport, guestModulePath, pinnedGuestCodeHash,
                   and every field of the transport, no defaults:
                   local (nothing more), lab {labState, labModulePath},
                   ssh {host, port, usernameEnv, keyFileEnv|null,
                   knownHostsFile|null}, lab-ssh {the lab and ssh fields},
                   winrm {host, port, https, skipCertCheck, usernameEnv,
                   passwordEnv}} -> {id, transport, reused}
        call       {id, requestBase64} -> the guest's parsed answer
        disconnect {id} -> {}
        ping       {} -> {pid, psVersion}
        The answer is {"ok":true,"result":...} or {"ok":false,"error":
        {"message","category","errorId","retryable"}} with category
        unreachable, auth, guest, protocol or config. It never throws, and
        nothing else reaches the success stream: progress, warnings and
        information are silenced for the request. Credentials are read from
        the environment variables the request names and never appear in an
        answer. See docs/host.md.

    .PARAMETER RequestBase64
        The request, base64-encoded UTF-8 JSON.

    .EXAMPLE
        Invoke-SrHostRequest -RequestBase64 'eyJvcCI6InBpbmcifQ=='

    .OUTPUTS
        System.String (one line of compressed JSON).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter()]
        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $RequestBase64 = ''
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $WarningPreference = 'SilentlyContinue'
    $InformationPreference = 'SilentlyContinue'
    $VerbosePreference = 'SilentlyContinue'
    $DebugPreference = 'SilentlyContinue'

    $line = $null
    try
    {
        $request = ConvertFrom-SrHostRequest -RequestBase64 ([string]$RequestBase64)
        $result = switch ($request.op)
        {
            'ping'
            {
                [ordered]@{ pid = $PID; psVersion = $PSVersionTable.PSVersion.ToString() }
            }
            'connect'
            {
                Connect-SrHostGuest -Request $request
            }
            'call'
            {
                Invoke-SrHostGuestCall -Id $request.id -RequestBase64 $request.requestBase64
            }
            'disconnect'
            {
                Disconnect-SrHostGuest -Id $request.id
                [ordered]@{}
            }
        }
        $line = New-SrHostResponse -Result $result
    }
    catch
    {
        try
        {
            $failure = Resolve-SrHostFailure -ErrorRecord $_ -DefaultCategory guest -DefaultErrorId 'SrHostUnexpected'
            $line = New-SrHostResponse -Message $failure.message -Category $failure.category -ErrorId $failure.errorId -Retryable $failure.retryable
        }
        catch
        {
            $line = '{"ok":false,"error":{"message":"the host module failed while reporting an error","category":"guest","errorId":"SrHostInternal","retryable":false}}'
        }
    }
    Write-Output $line
}
