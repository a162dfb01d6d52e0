function New-SrHostSession
{
    <#
    .SYNOPSIS
        Opens a PowerShell remoting session to a guest over SSH or WinRM.

    .DESCRIPTION
        SSH (transport ssh, and lab-ssh in exactly the same way; it needs
        PowerShell 7.3 or later for -Options, otherwise the answer is config /
        SrHostPowerShellTooOld naming the running version):
        New-PSSession -HostName -Port -UserName (from the variable named
        by usernameEnv) [-KeyFilePath (from keyFileEnv, when not null)]
        -SSHTransport, with
        -ConnectingTimeout 30 s and the ssh options BatchMode=yes (never
        prompt: the runner has no terminal) and, when the request names a
        knownHostsFile, UserKnownHostsFile=<it> and
        StrictHostKeyChecking=accept-new (the first connection pins the host
        key into that file, later changes are refused).
        WinRM: a PSCredential is built here from the variables named by
        usernameEnv and passwordEnv (the password never leaves this
        function), then New-PSSession -ComputerName -Port -Credential
        [-UseSSL when https] [-SessionOption (New-PSSessionOption
        -SkipCACheck -SkipCNCheck) when skipCertCheck]; the connection time
        out is the WSMan client's own.
        While the session opens, the console's standard output is captured:
        PowerShell copies ssh's standard error there, and it must not reach
        the runner's protocol channel. It is used to classify a failure
        (Resolve-SrHostFailure: 'auth' for permission denied or host key
        verification, else 'unreachable') and is put into the message.

    .PARAMETER Request
        The validated connect request (ConvertFrom-SrHostRequest).

    .EXAMPLE
        $session = New-SrHostSession -Request $request

    .OUTPUTS
        System.Management.Automation.Runspaces.PSSession.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [hashtable]
        $Request
    )

    $overSsh = $Request.transport -cin @('ssh', 'lab-ssh')
    $userName = Get-SrHostEnvironmentValue -Name $Request.usernameEnv
    # ssh gets the user name on its command line: no option-like or blank names.
    if ($userName -match '[\x00-\x1f\x7f]' -or ($overSsh -and ($userName -match '\s' -or $userName.StartsWith('-'))))
    {
        throw (New-SrHostErrorRecord -Message ('environment variable {0} does not hold a valid user name' -f $Request.usernameEnv) -Category config -ErrorId 'SrHostUserNameInvalid')
    }
    $timeout = $script:SrHostConst.ConnectTimeoutMilliseconds
    if ($overSsh)
    {
        if (-not (Test-SrHostSshOptionSupport))
        {
            throw (New-SrHostErrorRecord -Message ('transport {0} needs PowerShell 7.3 or later (New-PSSession -Options, which runs ssh with BatchMode=yes so that it never prompts); this runner runs PowerShell {1}. Install a newer PowerShell 7, or point SNAPREADY_PWSH at one.' -f $Request.transport, $PSVersionTable.PSVersion) -Category config -ErrorId 'SrHostPowerShellTooOld')
        }
        $options = @{ BatchMode = 'yes' }
        if ($null -ne $Request.knownHostsFile)
        {
            $options['UserKnownHostsFile'] = $Request.knownHostsFile
            $options['StrictHostKeyChecking'] = 'accept-new'
        }
        $parameters = @{
            HostName          = $Request.host
            Port              = $Request.port
            UserName          = $userName
            SSHTransport      = $true
            ConnectingTimeout = $timeout
            Options           = $options
            ErrorAction       = 'Stop'
        }
        if ($null -ne $Request.keyFileEnv)
        {
            $keyFile = Get-SrHostEnvironmentValue -Name $Request.keyFileEnv
            if (-not (Test-Path -LiteralPath $keyFile -PathType Leaf))
            {
                throw (New-SrHostErrorRecord -Message ('the key file named by environment variable {0} does not exist' -f $Request.keyFileEnv) -Category config -ErrorId 'SrHostKeyFileNotFound')
            }
            $parameters['KeyFilePath'] = $keyFile
        }
    }
    else
    {
        $password = Get-SrHostEnvironmentValue -Name $Request.passwordEnv
        $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $userName, (ConvertTo-SecureString -String $password -AsPlainText -Force)
        $password = $null
        $parameters = @{
            ComputerName = $Request.host
            Port         = $Request.port
            Credential   = $credential
            ErrorAction  = 'Stop'
        }
        if ($Request.https)
        {
            $parameters['UseSSL'] = $true
        }
        if ($Request.skipCertCheck)
        {
            # PowerShell 7 on Linux offers only these two session options.
            $parameters['SessionOption'] = New-PSSessionOption -SkipCACheck -SkipCNCheck
        }
    }

    # PowerShell's SSH transport copies what ssh writes to standard error
    # ("Permission denied (publickey).", "Connection refused") to the console's
    # standard output, which is the runner's protocol channel. Capture it for
    # the time of the connection: it stays off stdout and tells an
    # authentication failure from an unreachable host.
    $originalOut = [System.Console]::Out
    $captured = New-Object -TypeName System.IO.StringWriter
    $capture = [System.IO.TextWriter]::Synchronized($captured)
    $readCaptured = {
        [System.Threading.Monitor]::Enter($capture)
        try { $captured.ToString() } finally { [System.Threading.Monitor]::Exit($capture) }
    }
    [System.Console]::SetOut($capture)
    $session = $null
    $failureRecord = $null
    $detail = ''
    try
    {
        $session = New-PSSession @parameters -WarningAction SilentlyContinue
    }
    catch
    {
        $failureRecord = $_
        # ssh's standard error is read by a background thread; give it a moment.
        for ($wait = 0; $overSsh -and $wait -lt 10 -and (& $readCaptured).Length -eq 0; $wait++)
        {
            Start-Sleep -Milliseconds 30
        }
        $detail = (@((& $readCaptured) -split '\r?\n' | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' }) -join ' ')
    }
    finally
    {
        [System.Console]::SetOut($originalOut)
    }
    if ($null -ne $failureRecord)
    {
        $failure = Resolve-SrHostFailure -ErrorRecord $failureRecord -DefaultCategory unreachable -DefaultErrorId 'SrHostUnreachable' -Detail $detail
        $retryable = $failure.category -eq 'unreachable'
        throw (New-SrHostErrorRecord -Message ('cannot connect to {0} over {1}: {2}' -f $Request.host, $Request.transport, $failure.message) -Category $failure.category -ErrorId $failure.errorId -Retryable $retryable)
    }
    if ($null -eq $session)
    {
        throw (New-SrHostErrorRecord -Message ('cannot connect to {0} over {1}: no session was opened' -f $Request.host, $Request.transport) -Category unreachable -ErrorId 'SrHostUnreachable' -Retryable $true)
    }
    @($session)[0]
}
