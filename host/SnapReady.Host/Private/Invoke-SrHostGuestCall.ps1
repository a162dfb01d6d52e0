function Invoke-SrHostGuestCall
{
    <#
    .SYNOPSIS
        Runs one guest command on a connected guest (the call op).

    .DESCRIPTION
        Runs Invoke-SrGuestCommand -RequestBase64 <requestBase64> in this
        pwsh (transport lab: right after Enable-SrLab -StatePath <labState>;
        transport local: after Disable-SrLab when the lab is loaded) or in
        the guest's
        session (Invoke-SrHostSessionCommand: Invoke-Command -ArgumentList,
        the request stays data, bounded by -TimeoutMilliseconds), and
        returns the guest's parsed JSON answer, which may itself be
        {ok:false,...} for a failed primitive.
        A guest answer whose error.errorId starts with SrGuestUnreachable,
        a transport failure or a session that is no longer Opened is a
        terminating 'unreachable' (retryable) error, and the connection is
        dropped: a rebooting guest loses its session and the runner
        connects again. A call for an id that is not connected is a
        'protocol' error (SrHostNotConnected). An answer that is not a JSON
        object with a boolean ok is a 'guest' error.
        A remote call that does not answer within -TimeoutMilliseconds is
        stopped, its session closed and the connection dropped, and the
        answer is a terminating 'timeout' (retryable) error,
        SrHostCallTimeout. A call on the local and lab transports runs in
        this pwsh and cannot be stopped from here: it is bounded by the
        guest module's own process time limits, and by the runner, which
        kills the whole worker a margin after the limit (in a process shared
        by several guests, Invoke-SrHostBatch stops the slot instead, and
        ends the process when that does not stop it).

    .PARAMETER Id
        The VM name.

    .PARAMETER RequestBase64
        The guest request: base64 of UTF-8 JSON {command, parameters}.

    .PARAMETER TimeoutMilliseconds
        Time limit of the remote call.

    .PARAMETER AsJson
        Return the answer as its JSON text (an object with PSTypeName
        SnapReady.Host.GuestJson and a one-line Json property) instead of
        objects: the call op passes it on unchanged (New-SrHostResponse
        -ResultJson), which spares decoding and encoding a facts document
        that can be large. It is checked all the same: one JSON object with
        a boolean ok, at most 64 levels deep.

    .EXAMPLE
        Invoke-SrHostGuestCall -Id 'sql01' -RequestBase64 $b64 -TimeoutMilliseconds 600000

    .OUTPUTS
        System.Management.Automation.PSCustomObject: the guest's answer (or,
        with -AsJson, its JSON text).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Id,

        [Parameter(Mandatory = $true)]
        [string]
        $RequestBase64,

        [Parameter()]
        [switch]
        $AsJson,

        [Parameter(Mandatory = $true)]
        [ValidateRange(1, [int]::MaxValue)]
        [int]
        $TimeoutMilliseconds
    )

    $entry = Get-SrHostConnection -Id $Id
    $unreachable = {
        param([string] $Message, [string] $ErrorId)
        Disconnect-SrHostGuest -Id $Id
        throw (New-SrHostErrorRecord -Message $Message -Category unreachable -ErrorId $ErrorId -Retryable $true)
    }

    if ($null -eq $entry.session)
    {
        $guest = Import-SrHostLocalModule -GuestModulePath $entry.guestModulePath -LabModulePath $entry.labModulePath
        if ($null -ne $entry.labState)
        {
            Enable-SrLab -StatePath $entry.labState
        }
        elseif ($null -ne (Get-Module -Name $script:SrHostConst.LabModuleName))
        {
            Disable-SrLab
        }
        $output = & $guest.ExportedFunctions['Invoke-SrGuestCommand'] -RequestBase64 $RequestBase64
    }
    else
    {
        $session = $entry.session
        if ([string]$session.State -ne 'Opened')
        {
            & $unreachable ('the session to guest {0} is {1}' -f $Id, [string]$session.State) 'SrHostSessionBroken'
        }
        try
        {
            $output = Invoke-SrHostSessionCommand -Session $session -ScriptBlock { param([string] $Request) Invoke-SrGuestCommand -RequestBase64 $Request } -ArgumentList $RequestBase64 -TimeoutMilliseconds $TimeoutMilliseconds -Activity ('the call on guest {0}' -f $Id)
        }
        catch
        {
            $failure = Resolve-SrHostFailure -ErrorRecord $_ -DefaultCategory guest -DefaultErrorId 'SrHostGuestCallFailed'
            if ($failure.category -eq 'timeout')
            {
                Disconnect-SrHostGuest -Id $Id
                throw (New-SrHostErrorRecord -Message $failure.message -Category timeout -ErrorId $failure.errorId -Retryable $true)
            }
            if ($failure.category -eq 'unreachable' -or [string]$session.State -ne 'Opened')
            {
                & $unreachable ('guest {0} is unreachable: {1}' -f $Id, $failure.message) 'SrHostUnreachable'
            }
            throw (New-SrHostErrorRecord -Message ('the call on guest {0} failed: {1}' -f $Id, $failure.message) -Category $failure.category -ErrorId $failure.errorId -Retryable $failure.retryable)
        }
    }

    # The guest's answer: the last string output that starts a JSON object.
    $text = $null
    foreach ($item in $output)
    {
        if ($item -is [string] -and $item.TrimStart().StartsWith('{')) { $text = [string]$item }
    }
    $invalid = { throw (New-SrHostErrorRecord -Message ('guest {0} gave no JSON answer with "ok"' -f $Id) -Category guest -ErrorId 'SrHostGuestResponseInvalid') }
    if ($AsJson)
    {
        if ($null -eq $text) { & $invalid }
        $options = [System.Text.Json.JsonDocumentOptions]::new()
        $options.MaxDepth = 64
        try
        {
            $document = [System.Text.Json.JsonDocument]::Parse($text, $options)
        }
        catch
        {
            & $invalid
        }
        try
        {
            $root = $document.RootElement
            $ok = [System.Text.Json.JsonElement]::new()
            if ($root.ValueKind -ne [System.Text.Json.JsonValueKind]::Object -or -not $root.TryGetProperty('ok', [ref]$ok) -or
                ($ok.ValueKind -ne [System.Text.Json.JsonValueKind]::True -and $ok.ValueKind -ne [System.Text.Json.JsonValueKind]::False))
            {
                & $invalid
            }
            $errorElement = [System.Text.Json.JsonElement]::new()
            $errorId = [System.Text.Json.JsonElement]::new()
            $message = [System.Text.Json.JsonElement]::new()
            if ($ok.ValueKind -eq [System.Text.Json.JsonValueKind]::False -and $root.TryGetProperty('error', [ref]$errorElement) -and
                $errorElement.ValueKind -eq [System.Text.Json.JsonValueKind]::Object -and $errorElement.TryGetProperty('errorId', [ref]$errorId) -and
                $errorId.ValueKind -eq [System.Text.Json.JsonValueKind]::String -and $errorId.GetString().StartsWith('SrGuestUnreachable'))
            {
                $why = if ($errorElement.TryGetProperty('message', [ref]$message) -and $message.ValueKind -eq [System.Text.Json.JsonValueKind]::String) { $message.GetString() } else { 'the guest is unreachable' }
                & $unreachable $why $errorId.GetString()
            }
            $json = $text
            if ($json.IndexOf([char]10) -ge 0 -or $json.IndexOf([char]13) -ge 0)
            {
                # One line on the wire: written again without indentation.
                $stream = New-Object -TypeName System.IO.MemoryStream
                $writer = New-Object -TypeName System.Text.Json.Utf8JsonWriter -ArgumentList $stream, (New-Object -TypeName System.Text.Json.JsonWriterOptions)
                $root.WriteTo($writer)
                $writer.Flush()
                $json = [System.Text.Encoding]::UTF8.GetString($stream.ToArray())
                $writer.Dispose()
            }
            return [pscustomobject]@{ PSTypeName = 'SnapReady.Host.GuestJson'; Json = $json.Trim() }
        }
        finally
        {
            $document.Dispose()
        }
    }

    $answer = $null
    if ($null -ne $text)
    {
        try
        {
            $answer = ConvertFrom-SrHostJson -Json $text -MaxDepth 64 -AsPSCustomObject
        }
        catch
        {
            $answer = $null
        }
    }
    if ($null -eq $answer -or $answer -isnot [System.Management.Automation.PSCustomObject] -or
        $null -eq $answer.PSObject.Properties['ok'] -or $answer.ok -isnot [bool])
    {
        & $invalid
    }
    if (-not $answer.ok -and $null -ne $answer.PSObject.Properties['error'] -and $null -ne $answer.error -and
        $null -ne $answer.error.PSObject.Properties['errorId'] -and ([string]$answer.error.errorId).StartsWith('SrGuestUnreachable'))
    {
        & $unreachable ([string]$answer.error.message) ([string]$answer.error.errorId)
    }
    $answer
}
