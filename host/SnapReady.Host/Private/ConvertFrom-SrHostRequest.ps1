function ConvertFrom-SrHostRequest
{
    <#
    .SYNOPSIS
        Decodes and validates one host request.

    .DESCRIPTION
        -RequestBase64 is base64 of UTF-8 JSON with an "op" of connect, call,
        disconnect or ping. Every field is checked for presence, JSON type
        and shape; unknown fields are ignored. Anything malformed is a
        terminating 'protocol' error. Returns a hashtable with the normalized
        fields (defaults filled in: port 22 for ssh, 5986/5985 for WinRM
        with/without HTTPS, https true, skipCertCheck false). Values are
        data: they are compared, bound to parameters and used as dictionary
        keys, never evaluated.

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
    try
    {
        $strictUtf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false, $true
        $json = $strictUtf8.GetString([System.Convert]::FromBase64String($RequestBase64))
        $raw = ConvertFrom-Json -InputObject $json -AsHashtable -DateKind String -Depth 32 -NoEnumerate
    }
    catch
    {
        & $fail ('The request is not base64-encoded UTF-8 JSON: {0}' -f $_.Exception.Message) 'SrHostRequestMalformed'
    }
    if ($raw -isnot [System.Collections.IDictionary])
    {
        & $fail 'The request must be a JSON object.' 'SrHostRequestMalformed'
    }

    $field = {
        param([string] $Name, [string] $Kind, [bool] $Required, [object] $Default)
        if (-not $raw.Contains($Name) -or $null -eq $raw[$Name])
        {
            if ($Required)
            {
                & $fail ('The request field "{0}" is missing.' -f $Name) 'SrHostFieldMissing'
            }
            return , $Default
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
        param([string] $Name, [object] $Value, [bool] $Ok, [string] $Why)
        if ($null -ne $Value -and -not $Ok)
        {
            & $fail ('The request field "{0}" {1}.' -f $Name, $Why) 'SrHostFieldInvalid'
        }
    }
    $isAbsolute = {
        param([string] $Path)
        -not [string]::IsNullOrEmpty($Path) -and [System.IO.Path]::IsPathFullyQualified($Path) -and $Path -notmatch '[\x00-\x1f]'
    }

    $op = & $field 'op' 'string' $true $null
    $request = @{ op = $op }
    switch -CaseSensitive ($op)
    {
        'ping' { }
        'disconnect'
        {
            $request.id = & $field 'id' 'string' $true $null
        }
        'call'
        {
            $request.id = & $field 'id' 'string' $true $null
            $request.requestBase64 = & $field 'requestBase64' 'string' $true $null
        }
        'connect'
        {
            $request.id = & $field 'id' 'string' $true $null
            $request.transport = & $field 'transport' 'string' $true $null
            & $check 'transport' $request.transport ($request.transport -cin @('local', 'ssh', 'winrm')) 'must be local, ssh or winrm'
            $remote = $request.transport -ne 'local'
            $request.host = & $field 'host' 'string' $remote $null
            $request.https = & $field 'https' 'bool' $false $true
            $request.skipCertCheck = & $field 'skipCertCheck' 'bool' $false $false
            $defaultPort = 22
            if ($request.transport -eq 'winrm')
            {
                $defaultPort = 5985
                if ($request.https) { $defaultPort = 5986 }
            }
            $port = & $field 'port' 'int' $false $defaultPort
            & $check 'port' $port ($port -ge 1 -and $port -le 65535) 'must be a TCP port (1-65535)'
            $request.port = [int]$port
            $request.usernameEnv = & $field 'usernameEnv' 'string' ($request.transport -in @('ssh', 'winrm')) $null
            $request.passwordEnv = & $field 'passwordEnv' 'string' ($request.transport -eq 'winrm') $null
            $request.keyFileEnv = & $field 'keyFileEnv' 'string' $false $null
            $request.knownHostsFile = & $field 'knownHostsFile' 'string' $false $null
            $request.labState = & $field 'labState' 'string' $false $null
            $request.guestModulePath = & $field 'guestModulePath' 'string' $true $null
            $request.labModulePath = & $field 'labModulePath' 'string' ($null -ne $request.labState) $null
            $request.pinnedGuestCodeHash = & $field 'pinnedGuestCodeHash' 'string' $true $null

            foreach ($name in @('usernameEnv', 'passwordEnv', 'keyFileEnv'))
            {
                & $check $name $request[$name] ($request[$name] -cmatch '^[A-Za-z_][A-Za-z0-9_]{0,127}$') 'must be an environment variable name'
            }
            if ($null -ne $request.host)
            {
                $hostName = [string]$request.host
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
                    $hostOk = ($hostName -cnotmatch '^[0-9.]+$' -or [System.Net.IPAddress]::TryParse($hostName, [ref]$ipAddress)) -and
                        @($labels | Where-Object { $_ -cnotmatch $labelPattern }).Count -eq 0
                }
                & $check 'host' $hostName $hostOk 'is not a hostname or IP address'
            }
            foreach ($name in @('labState', 'guestModulePath', 'labModulePath'))
            {
                & $check $name $request[$name] (& $isAbsolute $request[$name]) 'must be an absolute path'
            }
            & $check 'knownHostsFile' $request.knownHostsFile ((& $isAbsolute $request.knownHostsFile) -and $request.knownHostsFile -cmatch '^[A-Za-z0-9_./:\\-]+$') 'must be an absolute path of letters, digits and _ . / : \ -'
            & $check 'pinnedGuestCodeHash' $request.pinnedGuestCodeHash ($request.pinnedGuestCodeHash -cmatch '^[0-9a-fA-F]{64}$') 'must be a SHA-256 (64 hex digits)'
            $request.pinnedGuestCodeHash = $request.pinnedGuestCodeHash.ToLowerInvariant()
        }
        default
        {
            $shown = $op
            if ($shown.Length -gt 64) { $shown = $shown.Substring(0, 64) + '...' }
            & $fail ('Unknown op "{0}" (known: connect, call, disconnect, ping).' -f $shown) 'SrHostUnknownOp'
        }
    }
    if ($request.Contains('id'))
    {
        & $check 'id' $request.id ($request.id.Length -le 256 -and $request.id -notmatch '[\x00-\x1f\x7f]') 'must be at most 256 characters without control characters'
    }
    $request
}
