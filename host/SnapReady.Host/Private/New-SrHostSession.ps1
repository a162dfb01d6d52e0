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
        -ConnectingTimeout 30 s (or the request's timeoutMs when shorter) and the ssh options BatchMode=yes (never
        prompt: the runner has no terminal) and, when the request names a
        knownHostsFile, UserKnownHostsFile=<it> and
        StrictHostKeyChecking=accept-new (the first connection pins the host
        key into that file, later changes are refused).
        WinRM: a PSCredential is built here from the variables named by
        usernameEnv and passwordEnv (the password never leaves this
        function), then New-PSSession -ComputerName -Port -Credential
        -Authentication (Negotiate, Kerberos or Basic, from the request's
        authentication: negotiate, kerberos or basic) [-UseSSL when https] [-SessionOption (New-PSSessionOption
        -SkipCACheck -SkipCNCheck) when skipCertCheck], and where
        New-PSSessionOption has -OpenTimeout (Windows) that too, 30 s or the
        request's timeoutMs when shorter; elsewhere (PowerShell 7 on Linux
        offers no such option) the connection time out is the WSMan client's
        own.
        While an SSH session opens, what ssh writes to its standard error
        (PowerShell copies it to the console's standard output, the runner's
        protocol channel) goes to this connect's capture instead
        (Install-SrHostConsoleRouter; other runspaces' writes pass through).
        It is used to classify a failure
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
    if ($Request.ContainsKey('timeoutMs') -and $null -ne $Request['timeoutMs'])
    {
        $timeout = [int][math]::Min($timeout, [int]$Request['timeoutMs'])
    }
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
        $authentication = @{ negotiate = 'Negotiate'; kerberos = 'Kerberos'; basic = 'Basic' }[[string]$Request.authentication]
        if ($null -eq $authentication)
        {
            throw (New-SrHostErrorRecord -Message ('authentication {0} is not negotiate, kerberos or basic' -f $Request.authentication) -Category protocol -ErrorId 'SrHostFieldInvalid')
        }
        $parameters = @{
            ComputerName   = $Request.host
            Port           = $Request.port
            Credential     = $credential
            Authentication = $authentication
            ErrorAction    = 'Stop'
        }
        if ($Request.https)
        {
            $parameters['UseSSL'] = $true
        }
        # PowerShell 7 on Linux offers only -SkipCACheck and -SkipCNCheck; where
        # -OpenTimeout exists (Windows), opening the session is bounded like SSH's.
        $sessionOption = @{}
        if ($Request.skipCertCheck)
        {
            $sessionOption['SkipCACheck'] = $true
            $sessionOption['SkipCNCheck'] = $true
        }
        if ((Get-Command -Name New-PSSessionOption).Parameters.ContainsKey('OpenTimeout'))
        {
            $sessionOption['OpenTimeout'] = $timeout
        }
        if ($sessionOption.Count -gt 0)
        {
            $parameters['SessionOption'] = New-PSSessionOption @sessionOption
        }
    }

    # PowerShell's SSH transport copies what ssh writes to standard error
    # ("Permission denied (publickey).", "Connection refused") to the console's
    # standard output, which is the runner's protocol channel, from a thread of
    # its own. The text is captured for the time of the connect: it stays off
    # stdout and tells an authentication failure from an unreachable host.
    # - A process of its own (one guest, e.g. snapready step): nothing else
    #   runs meanwhile, so Console.Out is simply swapped for the connect.
    # - A process shared by several guests (Invoke-SrHostBatch marked it):
    #   slots connect side by side while the main runspace writes batch
    #   answers, so Console.Out is swapped once per process for a router
    #   (Install-SrHostConsoleRouter) that gives this connect's ssh text to
    #   this connect's capture only, drops it once the connect is over, and
    #   passes every write of PowerShell's own threads through. It is compiled
    #   on first use (~1.4 s of CPU), which a single guest never pays.
    $shared = $true -eq [System.AppDomain]::CurrentDomain.GetData('SnapReady.Host.Multiplexed')
    $capture = $null
    $router = $null
    $originalOut = $null
    $readCaptured = { '' }
    if ($overSsh -and $shared)
    {
        $router = Install-SrHostConsoleRouter
        $capture = $router::Open()
        $readCaptured = { $capture.Text }
    }
    elseif ($overSsh)
    {
        $originalOut = [System.Console]::Out
        $captured = New-Object -TypeName System.IO.StringWriter
        $capture = [System.IO.TextWriter]::Synchronized($captured)
        $readCaptured = {
            [System.Threading.Monitor]::Enter($capture)
            try { $captured.ToString() } finally { [System.Threading.Monitor]::Exit($capture) }
        }
        [System.Console]::SetOut($capture)
    }
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
        if ($null -ne $capture)
        {
            # ssh's standard error is read by a background thread; give it a moment.
            for ($wait = 0; $wait -lt 10 -and ([string](& $readCaptured)).Length -eq 0; $wait++)
            {
                Start-Sleep -Milliseconds 30
            }
        }
    }
    finally
    {
        if ($null -ne $router)
        {
            $detail = (@($router::Close($capture) -split '\r?\n' | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' }) -join ' ')
        }
        elseif ($null -ne $originalOut)
        {
            [System.Console]::SetOut($originalOut)
            $detail = (@(([string](& $readCaptured)) -split '\r?\n' | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' }) -join ' ')
        }
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
