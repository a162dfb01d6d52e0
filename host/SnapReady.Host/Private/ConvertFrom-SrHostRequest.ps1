function ConvertFrom-SrHostRequest
{
    <#
    .SYNOPSIS
        Decodes and validates one host request.

    .DESCRIPTION
        -RequestBase64 is base64 of UTF-8 JSON with an "op" of connect, call,
        stage, disconnect, ping or capabilities (no other field). Every field is checked for presence, JSON type
        and shape; unknown fields are ignored. Anything malformed is a
        terminating 'protocol' error. Nothing is defaulted: a connect request
        carries every field of its transport explicitly (see docs/host.md):
          all      id, transport, guestModulePath, pinnedGuestCodeHash,
                   timeoutMs (time limit of opening the session and
                   preparing the guest module)
          local    nothing more (the guest module in this pwsh, no lab)
          lab      labState, labModulePath (a lab guest in this pwsh)
          ssh      host, port, usernameEnv, keyFileEnv, knownHostsFile
          lab-ssh  labState, labModulePath and the ssh fields
          winrm    host, port, https, skipCertCheck, authentication
                   (negotiate, kerberos or basic; basic only with https),
                   usernameEnv, passwordEnv
        keyFileEnv and knownHostsFile must be present but may be null; every
        other field of the transport must be present and not null
        (SrHostFieldMissing). A call carries id, requestBase64 and timeoutMs
        (its time limit, 1 to 86400000 ms; no default). A stage carries id,
        path (an absolute path or a UNC path on the runner, without control
        characters), sha256 (64 hex digits), destinationDirectory (C:\...),
        fileName (the name to stage under: letters, digits, . _ - ( ) + and
        spaces, starting with a letter or digit), signerThumbprint (40 hex
        digits, or null) and timeoutMs. labState or labModulePath on local, ssh or
        winrm is refused (SrHostFieldNotAllowed).
        Two optional fields (absent or null: none):
          disconnectFirst  on any op: an array of at most 256 ids (each
                   checked like id), disconnected before the op runs
          connectBase64    on call and stage only (elsewhere
                   SrHostFieldNotAllowed): the base64 of a complete connect
                   request, validated by this function itself; its op must
                   be connect, its id the outer id, and it may not carry
                   disconnectFirst (SrHostFieldInvalid). An embedded request
                   that is invalid in itself is refused with the error it
                   would get on its own, the message naming connectBase64.
        Returns a hashtable with op, id and the fields of the op or transport
        (others are left out), disconnectFirst (string[]) when sent, and the
        validated embedded connect request as connect when sent. Values
        are data: they are compared, bound to parameters and used as
        dictionary keys, never evaluated.

    .PARAMETER RequestBase64
        The request.

    .EXAMPLE
        $request = ConvertFrom-SrHostRequest -RequestBase64 'eyJvcCI6InBpbmcifQ=='

    .OUTPUTS
        System.Collections.Hashtable.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $RequestBase64
    )

    $fail = {
        param([string] $Message, [string] $ErrorId)
        throw (New-SrHostErrorRecord -Message $Message -Category protocol -ErrorId $ErrorId)
    }
    if ($RequestBase64.Length -eq 0)
    {
        & $fail 'The request is empty.' 'SrHostRequestMalformed'
    }
    if ($RequestBase64.Length -gt $script:SrHostConst.MaxRequestBase64Length)
    {
        & $fail 'The request is larger than 4 MiB.' 'SrHostRequestMalformed'
    }
    $raw = ConvertFrom-SrHostBase64Json -Base64 $RequestBase64 -What 'request' -MaxDepth 32

    # The helpers below take untyped parameters (each is given strings, or
    # a value it checks itself): a typed script block parameter costs
    # several times more per call, and they run many times per request.
    # $Presence: 'required' (present and not null), 'nullable' (present, null
    # allowed) or 'optional'. Returns the value, or $null.
    $field = {
        param($Name, $Kind, $Presence)
        if (-not $raw.Contains($Name) -or $null -eq $raw[$Name])
        {
            if ($Presence -eq 'required' -or ($Presence -eq 'nullable' -and -not $raw.Contains($Name)))
            {
                $hint = ''
                if ($Presence -eq 'nullable') { $hint = ' (send null for none)' }
                & $fail ('The request field "{0}" is missing{1}.' -f $Name, $hint) 'SrHostFieldMissing'
            }
            return , $null
        }
        $value = $raw[$Name]
        $valid = switch ($Kind)
        {
            'string' { $value -is [string] -and $value.Length -gt 0 }
            'bool' { $value -is [bool] }
            'int' { ($value -is [int] -or $value -is [long]) }
        }
        if (-not $valid)
        {
            & $fail ('The request field "{0}" must be a {1}.' -f $Name, $Kind) 'SrHostFieldInvalid'
        }
        , $value
    }
    $check = {
        param($Name, $Value, $Ok, $Why)
        if ($null -ne $Value -and -not $Ok)
        {
            & $fail ('The request field "{0}" {1}.' -f $Name, $Why) 'SrHostFieldInvalid'
        }
    }
    # The rule of a guest id (id, and each of disconnectFirst): a non-empty
    # string of at most 256 characters without control characters.
    $isId = {
        param($Value)
        $Value -is [string] -and $Value.Length -gt 0 -and $Value.Length -le 256 -and $Value -notmatch '[\x00-\x1f\x7f]'
    }
    $isAbsolute = {
        param($Path)
        $Path -is [string] -and $Path.Length -gt 0 -and [System.IO.Path]::IsPathFullyQualified($Path) -and $Path -notmatch '[\x00-\x1f]'
    }

    $op = & $field 'op' 'string' 'required'
    $request = @{ op = $op }
    switch -CaseSensitive ($op)
    {
        'ping' { }
        'capabilities' { }
        'disconnect'
        {
            $request.id = & $field 'id' 'string' 'required'
        }
        'stage'
        {
            # installer.stage: runner (Copy-SrHostFileToGuest). Paths are data.
            $request.id = & $field 'id' 'string' 'required'
            $request.path = & $field 'path' 'string' 'required'
            $request.sha256 = & $field 'sha256' 'string' 'required'
            $request.destinationDirectory = & $field 'destinationDirectory' 'string' 'required'
            $request.fileName = & $field 'fileName' 'string' 'required'
            $request.signerThumbprint = & $field 'signerThumbprint' 'string' 'nullable'
            $request.timeoutMs = & $field 'timeoutMs' 'int' 'required'
            & $check 'path' $request.path (((& $isAbsolute $request.path) -or $request.path -cmatch '^\\\\[^\\]+\\[^\\]+\\') -and $request.path -notmatch '[\x00-\x1f\x7f]') 'must be an absolute path on the runner, without control characters'
            & $check 'sha256' $request.sha256 ($request.sha256 -cmatch '^[0-9a-fA-F]{64}\z') 'must be a SHA-256 (64 hex digits)'
            & $check 'fileName' $request.fileName ($request.fileName -cmatch '^[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,200}\z') 'must be a file name of letters, digits, . _ - ( ) + and spaces, starting with a letter or digit'
            & $check 'destinationDirectory' $request.destinationDirectory ($request.destinationDirectory -cmatch '^[A-Za-z]:\\[^\x00-\x1f]*$') 'must be a Windows folder path (C:\...)'
            & $check 'signerThumbprint' $request.signerThumbprint ($request.signerThumbprint -cmatch '^[0-9a-fA-F]{40}$') 'must be a certificate thumbprint (40 hex digits)'
        }
        'call'
        {
            $request.id = & $field 'id' 'string' 'required'
            $request.requestBase64 = & $field 'requestBase64' 'string' 'required'
            $request.timeoutMs = & $field 'timeoutMs' 'int' 'required'
        }
        'connect'
        {
            $request.id = & $field 'id' 'string' 'required'
            $request.transport = & $field 'transport' 'string' 'required'
            $transport = $request.transport
            & $check 'transport' $transport ($transport -cin @('local', 'lab', 'ssh', 'lab-ssh', 'winrm')) 'must be local, lab, ssh, lab-ssh or winrm'
            # The fields of each transport, all sent explicitly by the runner: no defaults.
            $sshFields = [ordered]@{ host = 'required'; port = 'required'; usernameEnv = 'required'; keyFileEnv = 'nullable'; knownHostsFile = 'nullable' }
            $labFields = [ordered]@{ labState = 'required'; labModulePath = 'required' }
            $shape = [ordered]@{}
            switch -CaseSensitive ($transport)
            {
                'lab' { $shape = $labFields }
                'ssh' { $shape = $sshFields }
                'lab-ssh'
                {
                    foreach ($part in @($labFields, $sshFields)) { foreach ($key in $part.Keys) { $shape[$key] = $part[$key] } }
                }
                'winrm' { $shape = [ordered]@{ host = 'required'; port = 'required'; https = 'required'; skipCertCheck = 'required'; authentication = 'required'; usernameEnv = 'required'; passwordEnv = 'required' } }
            }
            foreach ($name in @('labState', 'labModulePath'))
            {
                if (-not $shape.Contains($name) -and $raw.Contains($name) -and $null -ne $raw[$name])
                {
                    & $fail ('The request field "{0}" is not allowed with transport {1}: lab guests use transport lab or lab-ssh.' -f $name, $transport) 'SrHostFieldNotAllowed'
                }
            }
            $kinds = @{ host = 'string'; port = 'int'; https = 'bool'; skipCertCheck = 'bool'; authentication = 'string'; usernameEnv = 'string'; passwordEnv = 'string'; keyFileEnv = 'string'; knownHostsFile = 'string'; labState = 'string'; labModulePath = 'string' }
            foreach ($name in $shape.Keys)
            {
                $request[$name] = & $field $name $kinds[$name] $shape[$name]
            }
            $request.guestModulePath = & $field 'guestModulePath' 'string' 'required'
            $request.pinnedGuestCodeHash = & $field 'pinnedGuestCodeHash' 'string' 'required'
            $request.timeoutMs = & $field 'timeoutMs' 'int' 'required'

            if ($request.Contains('port'))
            {
                & $check 'port' $request.port ($request.port -ge 1 -and $request.port -le 65535) 'must be a TCP port (1-65535)'
                $request.port = [int]$request.port
            }
            if ($request.Contains('authentication'))
            {
                & $check 'authentication' $request.authentication ($request.authentication -cin @('negotiate', 'kerberos', 'basic')) 'must be negotiate, kerberos or basic'
                & $check 'authentication' $request.authentication ($request.authentication -cne 'basic' -or $request.https -eq $true) 'is basic, which needs https true (Basic over HTTP sends the password in clear text)'
            }
            foreach ($name in @('usernameEnv', 'passwordEnv', 'keyFileEnv'))
            {
                & $check $name $request[$name] ($request[$name] -cmatch '^[A-Za-z_][A-Za-z0-9_]{0,127}$') 'must be an environment variable name'
            }
            if ($null -ne $request['host'])
            {
                $hostName = [string]$request['host']
                $ipAddress = $null
                $hostOk = $false
                if ($hostName.Contains(':'))
                {
                    $hostOk = ($hostName -cmatch '^[0-9A-Fa-f:.]{2,45}$') -and [System.Net.IPAddress]::TryParse($hostName, [ref]$ipAddress)
                }
                elseif ($hostName.Length -le 253)
                {
                    $labelPattern = '^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$'
                    $labels = @($hostName.TrimEnd('.').Split('.'))
                    $hostOk = $hostName -cnotmatch '^[0-9.]+$' -or [System.Net.IPAddress]::TryParse($hostName, [ref]$ipAddress)
                    foreach ($label in $labels)
                    {
                        if ($label -cnotmatch $labelPattern) { $hostOk = $false }
                    }
                }
                & $check 'host' $hostName $hostOk 'is not a hostname or IP address'
            }
            foreach ($name in @('labState', 'guestModulePath', 'labModulePath'))
            {
                & $check $name $request[$name] (& $isAbsolute $request[$name]) 'must be an absolute path'
            }
            & $check 'labState' $request['labState'] ($request['labState'] -cmatch '\.json$') 'must be the path of a .json lab state file'
            & $check 'knownHostsFile' $request['knownHostsFile'] ((& $isAbsolute $request['knownHostsFile']) -and $request['knownHostsFile'] -cmatch '^[A-Za-z0-9_./:\\-]+$') 'must be an absolute path of letters, digits and _ . / : \ -'
            & $check 'pinnedGuestCodeHash' $request.pinnedGuestCodeHash ($request.pinnedGuestCodeHash -cmatch '^[0-9a-fA-F]{64}$') 'must be a SHA-256 (64 hex digits)'
            $request.pinnedGuestCodeHash = $request.pinnedGuestCodeHash.ToLowerInvariant()
        }
        default
        {
            $shown = $op
            if ($shown.Length -gt 64) { $shown = $shown.Substring(0, 64) + '...' }
            & $fail ('Unknown op "{0}" (known: connect, call, stage, disconnect, ping, capabilities).' -f $shown) 'SrHostUnknownOp'
        }
    }
    if ($request.Contains('timeoutMs'))
    {
        & $check 'timeoutMs' $request.timeoutMs ($request.timeoutMs -ge 1 -and $request.timeoutMs -le 86400000) 'must be a time limit in milliseconds (1 to 86400000)'
        $request.timeoutMs = [int]$request.timeoutMs
    }
    if ($request.Contains('id'))
    {
        & $check 'id' $request.id (& $isId $request.id) 'must be at most 256 characters without control characters'
    }
    if ($raw.Contains('disconnectFirst') -and $null -ne $raw['disconnectFirst'])
    {
        $ids = $raw['disconnectFirst']
        $valid = $ids -is [object[]] -and $ids.Length -le 256
        if ($valid)
        {
            foreach ($item in $ids)
            {
                if (-not (& $isId $item)) { $valid = $false }
            }
        }
        if (-not $valid)
        {
            & $fail 'The request field "disconnectFirst" must be an array of at most 256 ids, each 1 to 256 characters without control characters.' 'SrHostFieldInvalid'
        }
        $request.disconnectFirst = [string[]]$ids
    }
    if ($raw.Contains('connectBase64') -and $null -ne $raw['connectBase64'])
    {
        if ($op -cne 'call' -and $op -cne 'stage')
        {
            & $fail ('The request field "connectBase64" is not allowed with op {0}: only call and stage carry a connect.' -f $op) 'SrHostFieldNotAllowed'
        }
        $embedded = & $field 'connectBase64' 'string' 'optional'
        # One validator: the embedded connect is checked exactly as if it came on its own.
        try
        {
            $connect = ConvertFrom-SrHostRequest -RequestBase64 $embedded
        }
        catch
        {
            $failure = Resolve-SrHostFailure -ErrorRecord $_ -DefaultCategory protocol -DefaultErrorId 'SrHostFieldInvalid'
            & $fail ('The request field "connectBase64" is not a valid connect request: {0}' -f $failure.message) $failure.errorId
        }
        if ($connect.op -cne 'connect' -or $connect.id -cne $request.id -or $connect.Contains('disconnectFirst'))
        {
            & $fail 'The request field "connectBase64" must hold a connect request for the same id (exact case), without disconnectFirst.' 'SrHostFieldInvalid'
        }
        $request.connect = $connect
    }
    $request
}
