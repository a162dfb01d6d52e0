# Real PowerShell remoting over SSH on loopback: scripts/sshd-test.sh starts
# an sshd on 127.0.0.1 whose powershell subsystem is the pinned pwsh; the
# host module's lab-ssh transport connects to it with a key, ships the guest
# and lab modules with Copy-Item -ToSession and drives a lab guest through a
# delayed reboot; the ssh transport ships the guest module only. On CI a missing sshd or pwsh FAILS these tests; elsewhere
# they are skipped with the reason.
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:GuestPath = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
    $script:LabPath = Join-Path $RepoRoot 'guest' 'lab' 'SnapReady.Lab'
    $script:Script = Join-Path $RepoRoot 'scripts' 'sshd-test.sh'
    $script:OnCi = $env:CI -eq 'true'
    $script:Problem = $null
    $script:Dir = Join-Path $TestDrive 'sshd'
    $script:Started = $false

    if (-not $IsLinux)
    {
        $Problem = 'the SSH loopback harness (scripts/sshd-test.sh) runs on Linux only'
    }
    elseif (-not (Test-Path -LiteralPath '/usr/sbin/sshd' -PathType Leaf))
    {
        $Problem = 'sshd is not installed (/usr/sbin/sshd is missing): apt-get install -y openssh-server'
    }
    elseif ($null -eq (Get-Command ssh -ErrorAction SilentlyContinue) -or $null -eq (Get-Command bash -ErrorAction SilentlyContinue))
    {
        $Problem = 'the ssh client or bash is not installed'
    }
    else
    {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $script:Port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $output = & bash $Script start $Dir $Port 2>&1
        if ($LASTEXITCODE -ne 0)
        {
            $Problem = 'scripts/sshd-test.sh start failed: ' + (@($output) -join ' ')
        }
        else
        {
            $Started = $true
            $script:Info = @{}
            foreach ($line in @($output)) { if ([string]$line -match '^(\w+)=(.*)$') { $Info[$Matches[1]] = $Matches[2] } }
        }
    }
    # Skips the calling test with the reason, or fails it on CI. Returns $true when it must not run.
    $script:Unavailable = {
        if ($null -eq $Problem) { return $false }
        if ($OnCi) { throw "SSH remoting cannot be tested on CI: $Problem" }
        Set-ItResult -Skipped -Because $Problem
        $true
    }

    Import-Module (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
    Import-Module (Join-Path $LabPath 'SnapReady.Lab.psd1') -Force -Global
    $script:Hash = & (Get-Module SnapReady.Host) { param($p) Get-SrHostModuleHash -Path $p } $GuestPath
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
    $script:Send = {
        param($Object)
        $out = @(Invoke-SrHostRequest -RequestBase64 (& $ToB64 $Object))
        $out.Count | Should -Be 1
        $out[0] | Should -Not -Match '[\r\n]'
        $out[0] | ConvertFrom-Json -DateKind String
    }
    $script:Guest = { param([string] $Command, [hashtable] $Parameters = @{}) & $ToB64 @{ command = $Command; parameters = $Parameters } }
    $env:SR_SSH_TEST_USER = [Environment]::UserName
    if ($Started)
    {
        $env:SR_SSH_TEST_KEY = $Info['key']
        $env:SR_SSH_TEST_WRONG_KEY = Join-Path $Dir 'ssh_host_ed25519_key'
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'ssh-vm.json') -RebootDelaySeconds 3
        # A lab guest over real SSH remoting (transport lab-ssh); -Transport ssh: no lab.
        $script:Connect = {
            param([string] $Id, [string] $KeyEnv = 'SR_SSH_TEST_KEY', [int] $ToPort = $Port, [string] $Transport = 'lab-ssh')
            $request = @{
                op = 'connect'; id = $Id; transport = $Transport; host = '127.0.0.1'; port = $ToPort
                usernameEnv = 'SR_SSH_TEST_USER'; keyFileEnv = $KeyEnv; knownHostsFile = $Info['known_hosts']
                guestModulePath = $GuestPath; pinnedGuestCodeHash = $Hash
            }
            if ($Transport -eq 'lab-ssh')
            {
                $request.labState = $lab.statePath
                $request.labModulePath = $LabPath
            }
            & $Send $request
        }
        $script:RemoteModules = Join-Path $Dir 'tmp' 'snapready-modules' $Hash
    }
}
AfterAll {
    foreach ($id in @('ssh-vm', 'ssh-plain', 'ssh-bad', 'ssh-refused')) {
        $null = Invoke-SrHostRequest -RequestBase64 (& $ToB64 @{ op = 'disconnect'; id = $id })
    }
    if ($Started) { $null = & bash $Script stop $Dir 2>&1 }
}

Describe 'PowerShell remoting over SSH (loopback sshd)' {
    It 'has sshd and the pinned pwsh (required on CI)' {
        if (& $Unavailable) { return }
        $Info['port'] | Should -Be "$Port"
        $Info['pwsh'] | Should -Exist
        (Get-Content -LiteralPath (Join-Path $Dir 'sshd_config')) | Should -Contain 'ListenAddress 127.0.0.1'
    }
    It 'connects with the key, ships both modules with Copy-Item -ToSession, and reuses the session' {
        if (& $Unavailable) { return }
        $a = & $Connect 'ssh-vm'
        $a.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
        $a.result.transport | Should -Be 'lab-ssh'
        $a.result.reused | Should -BeFalse
        Join-Path $RemoteModules 'SnapReady.Guest' 'SnapReady.Guest.psd1' | Should -Exist
        Join-Path $RemoteModules 'SnapReady.Lab' 'SnapReady.Lab.psd1' | Should -Exist
        @(Get-ChildItem -LiteralPath $RemoteModules -Force | ForEach-Object Name | Sort-Object) | Should -Be @('SnapReady.Guest', 'SnapReady.Lab')
        (& $Connect 'ssh-vm').result.reused | Should -BeTrue
    }
    It 'collects Get-SrGuestFact from the lab guest through the session' {
        if (& $Unavailable) { return }
        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeTrue
        $a.result.result.os.version | Should -Be '10.0.17763'
        $a.result.result.agent.installed | Should -BeFalse
    }
    It 'runs a primitive that changes the lab guest' {
        if (& $Unavailable) { return }
        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Install-SrAgent' @{ InstallerPath = $lab.msiPath; Kind = 'msi'; Version = $lab.agentVersion }) }
        $a.result.ok | Should -BeTrue
        $a.result.result.changed | Should -BeTrue
        @((Get-SrLabState -StatePath $lab.statePath).msiProducts).Count | Should -Be 1
    }
    It 'a 3 s reboot: calls are unreachable during it, a new connect and call work after it' {
        if (& $Unavailable) { return }
        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Request-SrReboot' @{ Reason = 'ssh test' }) }
        $a.result.result.changed | Should -BeTrue
        $upAt = (Get-SrLabState -StatePath $lab.statePath).upAt
        $until = [datetime]::Parse($upAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()

        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        [datetime]::UtcNow | Should -BeLessThan $until -Because 'the call must happen during the delay'
        $a.ok | Should -BeFalse
        $a.error.category | Should -Be 'unreachable'
        $a.error.errorId | Should -BeLike 'SrGuestUnreachable*'
        $a.error.retryable | Should -BeTrue
        $a.error.message | Should -BeLike "lab guest ssh-vm is unreachable (rebooting until $upAt)"
        # The session was dropped.
        (& $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }).error.errorId | Should -Be 'SrHostNotConnected'

        # Meanwhile the remote copy of the lab module is damaged: the next connect must replace it.
        $remoteLabManifest = Join-Path $RemoteModules 'SnapReady.Lab' 'SnapReady.Lab.psd1'
        Add-Content -LiteralPath $remoteLabManifest -Value '# tampered'
        $wait = ($until - [datetime]::UtcNow).TotalMilliseconds
        if ($wait -gt 0) { Start-Sleep -Milliseconds ([int][math]::Ceiling($wait) + 20) }

        $a = & $Connect 'ssh-vm'
        $a.ok | Should -BeTrue
        $a.result.reused | Should -BeFalse
        (Get-Content -LiteralPath $remoteLabManifest -Raw) | Should -Not -Match 'tampered'
        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.result.os.lastBootUpTime | Should -BeExactly $upAt
        $a.result.result.agentService.status | Should -Be 'Running'
        (Get-SrLabState -StatePath $lab.statePath).os.bootCount | Should -Be 2
    }
    It 'transport ssh (no lab) runs the real platform layer in the session: PlatformNotSupported off Windows' {
        if (& $Unavailable) { return }
        $a = & $Connect 'ssh-plain' 'SR_SSH_TEST_KEY' $Port 'ssh'
        $a.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
        $a.result.transport | Should -Be 'ssh'
        $a = & $Send @{ op = 'call'; id = 'ssh-plain'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeFalse
        $a.result.error.message | Should -BeLike '*needs Windows*'
        (& $Send @{ op = 'disconnect'; id = 'ssh-plain' }).ok | Should -BeTrue
    }
    It 'a key the server does not accept is an auth failure, and ssh''s complaint stays off stdout' {
        if (& $Unavailable) { return }
        $console = [Console]::Out
        $captured = [IO.StringWriter]::new()
        [Console]::SetOut($captured)
        try { $a = & $Connect 'ssh-bad' 'SR_SSH_TEST_WRONG_KEY' }
        finally { [Console]::SetOut($console) }
        $a.ok | Should -BeFalse
        $a.error.category | Should -Be 'auth'
        $a.error.retryable | Should -BeFalse
        $a.error.message | Should -BeLike '*Permission denied*'
        $captured.ToString() | Should -BeNullOrEmpty
    }
    It 'a closed port is unreachable and retryable' {
        if (& $Unavailable) { return }
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $closed = $listener.LocalEndpoint.Port
        $listener.Stop()
        $a = & $Connect 'ssh-refused' 'SR_SSH_TEST_KEY' $closed
        $a.ok | Should -BeFalse
        $a.error.category | Should -Be 'unreachable'
        $a.error.retryable | Should -BeTrue
        $a.error.message | Should -BeLike '*Connection refused*'
    }
    It 'disconnect closes the session' {
        if (& $Unavailable) { return }
        (& $Send @{ op = 'disconnect'; id = 'ssh-vm' }).ok | Should -BeTrue
        (& $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }).error.errorId | Should -Be 'SrHostNotConnected'
    }
}
