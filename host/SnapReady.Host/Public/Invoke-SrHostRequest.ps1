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
                   timeoutMs, and every field of the transport, no defaults:
                   local (nothing more), lab {labState, labModulePath},
                   ssh {host, port, usernameEnv, keyFileEnv|null,
                   knownHostsFile|null}, lab-ssh {the lab and ssh fields},
                   winrm {host, port, https, skipCertCheck, authentication,
                   usernameEnv, passwordEnv}} -> {id, transport, reused}
        call       {id, requestBase64, timeoutMs} -> the guest's parsed
                   answer; a remote call still running after timeoutMs is
                   stopped and answered as a retryable 'timeout' error
                   (SrHostCallTimeout), the connection dropped
        stage      {id, path, sha256, destinationDirectory, fileName,
                   signerThumbprint|null, timeoutMs} -> the guest's answer to
                   Save-SrInstaller, result.copied added (installer.stage:
                   runner; see Copy-SrHostFileToGuest)
        disconnect {id} -> {}
        ping       {} -> {pid, psVersion}
        capabilities {} -> {wsman: {available, reason}}: whether this pwsh
                   can open WinRM sessions (Get-SrHostWSManCapability); the
                   runner asks once per run, before any connect, when a VM
                   uses transport winrm on a runner that is not Windows
        Any op may carry disconnectFirst [id, ...]: before the op, each id is
        disconnected as by disconnect, best effort (a failure is ignored).
        call and stage may carry connectBase64, the base64 of a complete
        connect request for the same id: it is connected (after
        disconnectFirst, bounded by its own timeoutMs) before the op, and
        when that fails the answer is the connect's error and the op does
        not run. A request with an invalid field runs nothing.
        The answer is {"ok":true,"result":...} or {"ok":false,"error":
        {"message","category","errorId","retryable"}} with category
        unreachable, auth, guest, protocol, config or timeout. It never throws, and
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
        if ($request.Contains('disconnectFirst'))
        {
            # Deferred disconnects of the runner (guests earlier served by
            # this slot), sent with this request to spare a
            # round trip: best effort, like a disconnect that is never sent.
            foreach ($id in $request.disconnectFirst)
            {
                try
                {
                    Disconnect-SrHostGuest -Id $id
                }
                catch
                {
                    $null = $_
                }
            }
        }
        if ($request.Contains('connect'))
        {
            # The guest's connect, folded into its first call or stage: a
            # failure answers exactly as the connect request would have.
            $null = Connect-SrHostGuest -Request $request.connect
        }
        $result = switch ($request.op)
        {
            'ping'
            {
                [ordered]@{ pid = $PID; psVersion = $PSVersionTable.PSVersion.ToString() }
            }
            'capabilities'
            {
                [ordered]@{ wsman = Get-SrHostWSManCapability }
            }
            'connect'
            {
                Connect-SrHostGuest -Request $request
            }
            'call'
            {
                Invoke-SrHostGuestCall -Id $request.id -RequestBase64 $request.requestBase64 -TimeoutMilliseconds $request.timeoutMs -AsJson
            }
            'stage'
            {
                Copy-SrHostFileToGuest -Id $request.id -Path $request.path -Sha256 $request.sha256 -DestinationDirectory $request.destinationDirectory -FileName $request.fileName -ExpectedSignerThumbprint $request.signerThumbprint -TimeoutMilliseconds $request.timeoutMs
            }
            'disconnect'
            {
                Disconnect-SrHostGuest -Id $request.id
                [ordered]@{}
            }
        }
        $line = if ($null -ne $result -and $result.PSObject.TypeNames -contains 'SnapReady.Host.GuestJson')
        {
            New-SrHostResponse -ResultJson $result.Json
        }
        else
        {
            New-SrHostResponse -Result $result
        }
    }
    catch
    {
        $line = New-SrHostFailureResponse -ErrorRecord $_
    }
    Write-Output $line
}
