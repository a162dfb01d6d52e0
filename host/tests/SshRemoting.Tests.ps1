# Real PowerShell remoting over SSH on loopback: scripts/sshd-test.sh starts
# an sshd on 127.0.0.1 whose powershell subsystem is the pinned pwsh; the
# host module's lab-ssh transport connects to it with a key, ships the guest
# and lab modules with Copy-Item -ToSession and drives a lab guest through a
# delayed reboot; the ssh transport ships the guest module only. On CI a missing sshd or pwsh FAILS these tests; elsewhere
# they are skipped with the reason (Support/SshTestHarness.ps1).
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:GuestPath = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
    $script:LabPath = Join-Path $RepoRoot 'guest' 'lab' 'SnapReady.Lab'
    . (Join-Path $PSScriptRoot 'Support' 'SshTestHarness.ps1')
    $script:Sshd = Start-SrTestSshd -Directory (Join-Path $TestDrive 'sshd')

    Import-Module (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
    Import-Module (Join-Path $LabPath 'SnapReady.Lab.psd1') -Force -Global
    $script:Hash = & (Get-Module SnapReady.Host) { param($p) Get-SrHostModuleHash -Path $p } $GuestPath
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
    $script:Send = {
        param($Object)
        # call and connect require timeoutMs: requests that do not set it get 60 s here.
        if ($Object -is [hashtable] -and $Object['op'] -in @('call', 'connect') -and -not $Object.ContainsKey('timeoutMs')) { $Object = $Object.Clone(); $Object['timeoutMs'] = 60000 }
        $out = @(Invoke-SrHostRequest -RequestBase64 (& $ToB64 $Object))
        $out.Count | Should -Be 1
        $out[0] | Should -Not -Match '[\r\n]'
        $out[0] | ConvertFrom-Json -DateKind String
    }
    $script:Guest = { param([string] $Command, [hashtable] $Parameters = @{}) & $ToB64 @{ command = $Command; parameters = $Parameters } }
    if ($Sshd.Started)
    {
        Set-SrTestSshEnvironment -Sshd $Sshd -Prefix 'SR_SSH_TEST'
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'ssh-vm.json') -RebootDelaySeconds 3
        # A lab guest over real SSH remoting (transport lab-ssh); -Transport ssh: no lab.
        $script:Connect = {
            param([string] $Id, [string] $KeyEnv = 'SR_SSH_TEST_KEY', [int] $ToPort = $Sshd.Port, [string] $Transport = 'lab-ssh')
            $request = New-SrTestSshConnectRequest -Sshd $Sshd -Id $Id -Transport $Transport -Port $ToPort -UsernameEnv 'SR_SSH_TEST_USER' -KeyFileEnv $KeyEnv -GuestModulePath $GuestPath -PinnedGuestCodeHash $Hash
            if ($Transport -eq 'lab-ssh')
            {
                $request.labState = $lab.statePath
                $request.labModulePath = $LabPath
            }
            & $Send $request
        }
        $script:RemoteModules = Join-Path $Sshd.Directory 'tmp' 'snapready-modules' $Hash
    }
}
AfterAll {
    foreach ($id in @('ssh-vm', 'ssh-plain', 'ssh-bad', 'ssh-refused', 'ssh-slow', 'ssh-frozen')) {
        $null = Invoke-SrHostRequest -RequestBase64 (& $ToB64 @{ op = 'disconnect'; id = $id })
    }
    Stop-SrTestSshd -Sshd $Sshd
}

Describe 'PowerShell remoting over SSH (loopback sshd)' {
    It 'has sshd and the pinned pwsh (required on CI)' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $Sshd.Info['port'] | Should -Be "$($Sshd.Port)"
        $Sshd.Info['pwsh'] | Should -Exist
        (Get-Content -LiteralPath (Join-Path $Sshd.Directory 'sshd_config')) | Should -Contain 'ListenAddress 127.0.0.1'
    }
    It 'connects with the key, ships both modules with Copy-Item -ToSession, and reuses the session' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
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
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeTrue
        $a.result.result.os.version | Should -Be '10.0.17763'
        $a.result.result.agent.installed | Should -BeFalse
    }
    It 'runs a primitive that changes the lab guest' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Install-SrAgent' @{ InstallerPath = $lab.msiPath; Kind = 'msi'; Version = $lab.agentVersion }) }
        $a.result.ok | Should -BeTrue
        $a.result.result.changed | Should -BeTrue
        @((Get-SrLabState -StatePath $lab.statePath).msiProducts).Count | Should -Be 1
    }
    Context 'installer.stage: runner over the session (Copy-Item -ToSession into the lab guest)' {
        BeforeAll {
            $script:Media = Join-Path $TestDrive 'media'
            $null = New-Item -ItemType Directory -Path $Media -Force
            $script:Uploads = Join-Path $Sshd.Directory 'tmp' 'snapready-uploads'
            $script:StageDir = 'C:\ProgramData\snapready\installers'
            # A runner-side file and its SHA-256.
            $script:NewMedia = {
                param([string] $Name, [string] $Content)
                $file = Join-Path $Media $Name
                [IO.File]::WriteAllText($file, $Content, [Text.UTF8Encoding]::new($false))
                @{ path = $file; sha256 = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant() }
            }
            $script:Stage = {
                param([hashtable] $Media, [string] $Sha256 = $Media.sha256)
                & $Send @{ op = 'stage'; id = 'ssh-vm'; path = $Media.path; sha256 = $Sha256; destinationDirectory = $StageDir; fileName = (Split-Path -Path $Media.path -Leaf); signerThumbprint = $null; timeoutMs = 60000 }
            }
            $script:LabFile = { param([string] $Name) (Get-SrLabState -StatePath $lab.statePath).files[('{0}\{1}' -f $StageDir, $Name).ToLowerInvariant()] }
            $script:UploadsLeft = { @(if (Test-Path -LiteralPath $Uploads) { Get-ChildItem -LiteralPath $Uploads -File }).Count }
        }
        It 'a runner-side file that does not match the declared sha256 fails before anything is copied' {
            if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
            $m = & $NewMedia 'qemu-ga-bad.msi' ('LAB-MSI|qemu-ga|{0}|x64' -f $lab.agentVersion)
            $a = & $Stage $m ('0' * 64)
            $a.ok | Should -BeFalse
            $a.error.category | Should -Be 'config'
            $a.error.errorId | Should -Be 'SrHostStageHashMismatch'
            $a.error.message | Should -BeLike "*$($m.path)*expected $('0' * 64), actual $($m.sha256.ToUpperInvariant())*nothing was copied*"
            & $LabFile 'qemu-ga-bad.msi' | Should -BeNullOrEmpty
            Test-Path -LiteralPath $Uploads | Should -BeFalse -Because 'no upload may be made'
        }
        It 'copies the file into the guest, which checks the SHA-256 again; a second stage copies nothing' {
            if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
            $m = & $NewMedia 'qemu-ga-x86_64.msi' ('LAB-MSI|qemu-ga|{0}|x64' -f $lab.agentVersion)
            $a = & $Stage $m
            $a.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
            $a.result.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
            $a.result.result.changed | Should -BeTrue
            $a.result.result.copied | Should -BeTrue
            $a.result.result.path | Should -Be ('{0}\qemu-ga-x86_64.msi' -f $StageDir)
            $a.result.result.sha256 | Should -Be $m.sha256.ToUpperInvariant()
            (& $LabFile 'qemu-ga-x86_64.msi').content | Should -Be ('LAB-MSI|qemu-ga|{0}|x64' -f $lab.agentVersion)
            & $UploadsLeft | Should -Be 0
            Mock -ModuleName SnapReady.Host Send-SrHostFileToSession { throw 'must not copy again' }
            $a = & $Stage $m
            $a.result.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
            $a.result.result.changed | Should -BeFalse
            $a.result.result.copied | Should -BeFalse
            Should -Invoke -ModuleName SnapReady.Host Send-SrHostFileToSession -Times 0 -Exactly
        }
        It 'a file larger than one chunk (1 MiB) arrives intact, without Copy-Item -ToSession; this guest''s stale uploads are deleted first' {
            if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
            # A file that a Windows runner downloaded carries a Zone.Identifier stream, which made
            # Copy-Item -ToSession fail against PowerShell 7; such a stream cannot be made on Linux.
            $content = ('LAB-MSI|qemu-ga|{0}|x64|' -f $lab.agentVersion) + ('0123456789abcdef' * 163840)
            $m = & $NewMedia 'qemu-ga-big.msi' $content
            (Get-Item -LiteralPath $m.path).Length | Should -BeGreaterThan (2 * 1048576)
            $idHash = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes('ssh-vm'))).Replace('-', '').Substring(0, 16).ToLowerInvariant()
            $null = New-Item -ItemType Directory -Path $Uploads -Force
            $mine = New-Item -ItemType File -Path (Join-Path $Uploads ('{0}-{1}.partial' -f $idHash, ('e' * 64))) -Force
            $old = New-Item -ItemType File -Path (Join-Path $Uploads 'f00d.partial') -Force
            $old.LastWriteTimeUtc = [datetime]::UtcNow.AddDays(-2)
            $fresh = New-Item -ItemType File -Path (Join-Path $Uploads 'another-guest.partial') -Force
            Mock -ModuleName SnapReady.Host Copy-SrHostItemToSession { throw 'Copy-Item -ToSession must not be used for the installer' }
            try { $a = & $Stage $m }
            finally { Remove-Item -LiteralPath $fresh.FullName -Force -ErrorAction SilentlyContinue }
            $a.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
            $a.result.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
            $a.result.result.copied | Should -BeTrue
            $a.result.result.sha256 | Should -Be $m.sha256.ToUpperInvariant()
            (& $LabFile 'qemu-ga-big.msi').content | Should -BeExactly $content
            Test-Path -LiteralPath $mine.FullName | Should -BeFalse -Because 'an earlier upload of this guest is deleted'
            Test-Path -LiteralPath $old.FullName | Should -BeFalse -Because 'an upload older than a day is deleted'
            & $UploadsLeft | Should -Be 0
        }
        It 'Send-SrHostFileToSession copies binary content over several chunks byte for byte, and an empty file' {
            if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
            $session = & (Get-Module SnapReady.Host) { $script:SrHostConnections['ssh-vm'].session }
            $bytes = [byte[]]::new(2621447)
            [Random]::new(7).NextBytes($bytes)
            $local = Join-Path $Media 'binary.bin'
            [IO.File]::WriteAllBytes($local, $bytes)
            $remote = Join-Path $Sshd.Directory 'tmp' 'binary.copy'
            $n = & (Get-Module SnapReady.Host) { param($s, $p, $d) Send-SrHostFileToSession -Session $s -Path $p -Destination $d -Deadline ([datetime]::UtcNow.AddSeconds(60)) -Activity 'test copy' } $session $local $remote
            $n | Should -Be $bytes.Length
            (Get-FileHash -LiteralPath $remote).Hash | Should -Be (Get-FileHash -LiteralPath $local).Hash
            # A second copy overwrites (the first chunk truncates).
            [IO.File]::WriteAllBytes($local, $bytes[0..99])
            $null = & (Get-Module SnapReady.Host) { param($s, $p, $d) Send-SrHostFileToSession -Session $s -Path $p -Destination $d -Deadline ([datetime]::UtcNow.AddSeconds(60)) -ChunkBytes 64 -Activity 'test copy' } $session $local $remote
            (Get-Item -LiteralPath $remote).Length | Should -Be 100
            (Get-FileHash -LiteralPath $remote).Hash | Should -Be (Get-FileHash -LiteralPath $local).Hash
            [IO.File]::WriteAllBytes($local, [byte[]]::new(0))
            $n = & (Get-Module SnapReady.Host) { param($s, $p, $d) Send-SrHostFileToSession -Session $s -Path $p -Destination $d -Deadline ([datetime]::UtcNow.AddSeconds(60)) -Activity 'test copy' } $session $local $remote
            $n | Should -Be 0
            (Get-Item -LiteralPath $remote).Length | Should -Be 0
        }
        It 'a copy damaged on its way (simulated: lab fault UploadCorrupted) fails the guest''s check and is deleted' {
            if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
            $m = & $NewMedia 'qemu-ga-damaged.msi' ('LAB-MSI|qemu-ga|{0}|x64|d' -f $lab.agentVersion)
            Set-SrLabFault -StatePath $lab.statePath -Fault UploadCorrupted
            try { $a = & $Stage $m }
            finally { Set-SrLabFault -StatePath $lab.statePath -Fault UploadCorrupted -Remove }
            $a.ok | Should -BeTrue
            $a.result.ok | Should -BeFalse
            $a.result.error.errorId | Should -BeLike 'SrInstallerHashMismatch*'
            $a.result.error.message | Should -BeLike "*$($m.path)*expected $($m.sha256.ToUpperInvariant()), actual*was deleted*"
            & $LabFile 'qemu-ga-damaged.msi' | Should -BeNullOrEmpty
            & $UploadsLeft | Should -Be 0
        }
    }
    It 'a 3 s reboot: calls are unreachable during it, a new connect and call work after it' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
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
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $a = & $Connect 'ssh-plain' 'SR_SSH_TEST_KEY' $Sshd.Port 'ssh'
        $a.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
        $a.result.transport | Should -Be 'ssh'
        $a = & $Send @{ op = 'call'; id = 'ssh-plain'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeFalse
        $a.result.error.message | Should -BeLike '*needs Windows*'
        (& $Send @{ op = 'disconnect'; id = 'ssh-plain' }).ok | Should -BeTrue
    }
    It 'a key the server does not accept is an auth failure, and ssh''s complaint stays off stdout' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
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
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $closed = Get-SrTestFreePort
        $a = & $Connect 'ssh-refused' 'SR_SSH_TEST_KEY' $closed
        $a.ok | Should -BeFalse
        $a.error.category | Should -Be 'unreachable'
        $a.error.retryable | Should -BeTrue
        $a.error.message | Should -BeLike '*Connection refused*'
    }
    It 'a call over its timeoutMs (a hung installer) answers a retryable timeout near the limit, and the worker stays usable' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        # The lab's installer takes 30 s; the call may take 3 s.
        $slow = New-SrLabGuest -Path (Join-Path $TestDrive 'ssh-slow.json') -InstallDelaySeconds 30
        $saved = $lab
        $script:lab = $slow
        try { $a = & $Connect 'ssh-slow' }
        finally { $script:lab = $saved }
        $a.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $a = & $Send @{ op = 'call'; id = 'ssh-slow'; timeoutMs = 3000; requestBase64 = (& $Guest 'Install-SrAgent' @{ InstallerPath = $slow.msiPath; Kind = 'msi'; Version = $slow.agentVersion }) }
        $watch.Stop()
        $a.ok | Should -BeFalse
        $a.error.category | Should -Be 'timeout'
        $a.error.errorId | Should -Be 'SrHostCallTimeout'
        $a.error.retryable | Should -BeTrue
        $a.error.message | Should -BeLike '*ssh-slow*3 s*'
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.9
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the answer must come near the limit, not after the 30 s install'
        # The connection was dropped; this worker answers the next requests at once.
        (& $Send @{ op = 'call'; id = 'ssh-slow'; requestBase64 = (& $Guest 'Get-SrGuestFact') }).error.errorId | Should -Be 'SrHostNotConnected'
        (& $Send @{ op = 'ping' }).ok | Should -BeTrue
        $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        if (-not $a.ok -and $a.error.errorId -eq 'SrHostNotConnected') { $null = & $Connect 'ssh-vm'; $a = & $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') } }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeTrue
        (& $Send @{ op = 'disconnect'; id = 'ssh-slow' }).ok | Should -BeTrue
    }
    It 'a guest that stops answering (its pwsh frozen with SIGSTOP): the call times out near its limit, and closing the session is not waited for' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $a = & $Connect 'ssh-frozen'
        $a.ok | Should -BeTrue -Because ($a | ConvertTo-Json -Depth 5)
        $session = & (Get-Module SnapReady.Host) { $script:SrHostConnections['ssh-frozen'].session }
        $remotePid = Invoke-Command -Session $session -ScriptBlock { $PID }
        $remotePid | Should -Not -Be $PID
        & kill -STOP $remotePid
        try
        {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $a = & $Send @{ op = 'call'; id = 'ssh-frozen'; timeoutMs = 2000; requestBase64 = (& $Guest 'Get-SrGuestFact') }
            $watch.Stop()
            $a.ok | Should -BeFalse
            $a.error.errorId | Should -Be 'SrHostCallTimeout'
            $a.error.retryable | Should -BeTrue
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 8 -Because 'neither closing the session nor removing the job may wait for a frozen guest'
            (& $Send @{ op = 'ping' }).ok | Should -BeTrue
        }
        finally
        {
            & kill -CONT $remotePid
        }
        # Once the guest answers again, the retired session and job are released.
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        do
        {
            Start-Sleep -Milliseconds 200
            $left = & (Get-Module SnapReady.Host) { Clear-SrHostRetiredWork; (Get-SrHostRetiredWork).Count }
        } while ($left -gt 0 -and [datetime]::UtcNow -lt $deadline)
        $left | Should -Be 0
        [string]$session.State | Should -BeIn @('Closed', 'Broken')
    }
    It 'a request being stopped (Invoke-SrHostBatch stopping its slot) ends within about a second, not at its limit' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $slow = New-SrLabGuest -Path (Join-Path $TestDrive 'ssh-stop.json') -InstallDelaySeconds 30
        $request = {
            param([string] $Op, [hashtable] $Extra)
            $r = @{ op = $Op; id = 'ssh-stop' }
            foreach ($k in $Extra.Keys) { $r[$k] = $Extra[$k] }
            & $ToB64 $r
        }
        $connectRequest = New-SrTestSshConnectRequest -Sshd $Sshd -Id 'ssh-stop' -Transport 'lab-ssh' -UsernameEnv 'SR_SSH_TEST_USER' -KeyFileEnv 'SR_SSH_TEST_KEY' -GuestModulePath $GuestPath -PinnedGuestCodeHash $Hash
        $connectRequest.labState = $slow.statePath
        $connectRequest.labModulePath = $LabPath
        $connect = & $ToB64 $connectRequest
        $call = & $request 'call' @{ timeoutMs = 60000; requestBase64 = (& $Guest 'Install-SrAgent' @{ InstallerPath = $slow.msiPath; Kind = 'msi'; Version = $slow.agentVersion }) }
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        try
        {
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            $null = $shell.AddScript('param($m, $c) Import-Module $m; Invoke-SrHostRequest -RequestBase64 $c').AddArgument((Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1')).AddArgument($connect)
            $connected = @($shell.Invoke())
            $shell.Dispose()
            ($connected[-1] | ConvertFrom-Json).ok | Should -BeTrue -Because ([string]$connected[-1])
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            $null = $shell.AddScript('param($c) Invoke-SrHostRequest -RequestBase64 $c').AddArgument($call)
            $pending = $shell.BeginInvoke()
            Start-Sleep -Seconds 2
            $pending.IsCompleted | Should -BeFalse -Because 'the install takes 30 s'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'the wait for the remote call is cut into short slices'
            $shell.Dispose()
        }
        finally
        {
            $runspace.Dispose()
        }
    }
    It 'disconnect closes the session' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        (& $Send @{ op = 'disconnect'; id = 'ssh-vm' }).ok | Should -BeTrue
        (& $Send @{ op = 'call'; id = 'ssh-vm'; requestBase64 = (& $Guest 'Get-SrGuestFact') }).error.errorId | Should -Be 'SrHostNotConnected'
    }
}
