# SSH connects inside Invoke-SrHostBatch slots (real loopback sshd, see
# scripts/sshd-test.sh) must not take the process's stdout, which is the
# runner's protocol channel: the main runspace writes batch answers (and
# node-powershell's end marker) there while slots connect side by side.
# The batches run in a child pwsh whose stdout is read here. On CI a missing
# sshd or pwsh FAILS these tests; elsewhere they are skipped with the reason
# (Support/SshTestHarness.ps1).
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    . (Join-Path $PSScriptRoot 'Support' 'SshTestHarness.ps1')
    $script:Sshd = Start-SrTestSshd -Directory (Join-Path $TestDrive 'sshd')

    # The child: one connect on the main runspace (Invoke-SrHostRequest, as
    # `snapready step` does), then three connects in three slots started by
    # one batch (two users the server refuses, one good connect that ships
    # the guest module), polled while the main thread writes MAIN lines.
    # Every value arrives as base64 JSON in the environment.
    $script:Child = Join-Path $TestDrive 'child.ps1'
    Set-Content -LiteralPath $Child -Encoding utf8 -Value @'
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$in = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($env:SR_TEST_CHILD)) | ConvertFrom-Json -AsHashtable
Import-Module -Name $in.module -Force
$b64 = { param($o) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($o | ConvertTo-Json -Depth 10 -Compress))) }
[Console]::Out.WriteLine('SINGLE ' + (Invoke-SrHostRequest -RequestBase64 (& $b64 $in.single)))
[Console]::Out.WriteLine('AFTER-SINGLE')
$submit = @(for ($i = 0; $i -lt $in.batch.Count; $i++) { @{ tag = $i + 1; slot = $i; request = (& $b64 $in.batch[$i]); timeoutMs = 60000 } })
$pending = $in.batch.Count
$loops = 0
$watch = [Diagnostics.Stopwatch]::StartNew()
while ($pending -gt 0 -and $watch.Elapsed.TotalSeconds -lt 90)
{
    $loops++
    $line = Invoke-SrHostBatch -RequestBase64 (& $b64 @{ slots = 4; submit = $submit; stop = @(); waitMs = 25 })
    $submit = @()
    [Console]::Out.WriteLine('MAIN ' + $loops)
    [Console]::Out.WriteLine('BATCH ' + $line)
    $pending -= @(($line | ConvertFrom-Json).result.done).Count
}
$line = Invoke-SrHostBatch -RequestBase64 (& $b64 @{ slots = 4; submit = @(@{ tag = 9; slot = 2; request = (& $b64 @{ op = 'ping' }); timeoutMs = 60000 }); stop = @(); waitMs = 10000 })
[Console]::Out.WriteLine('BATCH ' + $line)
Write-Output ('WRITE-OUTPUT ' + $loops)
[Console]::Out.WriteLine('END ' + $loops)
'@
    # Runs the child and returns its stdout lines and stderr.
    $script:RunChild = {
        param([hashtable] $Data)
        # The pinned pwsh's apphost (this process may be `dotnet pwsh.dll`).
        $pwsh = $Sshd.Info['pwsh']
        $start = [Diagnostics.ProcessStartInfo]::new($pwsh)
        foreach ($a in @('-NoLogo', '-NoProfile', '-NonInteractive', '-File', $Child)) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start.Environment['SR_TEST_CHILD'] = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Data | ConvertTo-Json -Depth 10 -Compress)))
        $start.Environment['TERM'] = 'dumb'
        $process = [Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        if (-not $process.WaitForExit(150000))
        {
            $process.Kill($true)
            throw 'the child pwsh did not finish within 150 s'
        }
        $process.WaitForExit()
        @{ lines = @($stdout.Result -split '\r?\n' | Where-Object { $_ -ne '' }); stderr = $stderr.Result; exit = $process.ExitCode }
    }
    if ($Sshd.Started)
    {
        Set-SrTestSshEnvironment -Sshd $Sshd -Prefix 'SR_SSHB'
        $env:SR_SSHB_BAD_ONE = 'srbadone'
        $env:SR_SSHB_BAD_TWO = 'srbadtwo'
        $guestPath = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
        Import-Module (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
        $hash = & (Get-Module SnapReady.Host) { param($p) Get-SrHostModuleHash -Path $p } $guestPath
        $connect = {
            param([string] $Id, [string] $UserEnv, [string] $KeyEnv)
            New-SrTestSshConnectRequest -Sshd $Sshd -Id $Id -UsernameEnv $UserEnv -KeyFileEnv $KeyEnv -GuestModulePath $guestPath -PinnedGuestCodeHash $hash
        }
        $script:Run = & $RunChild @{
            module = (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1')
            single = (& $connect 'single-bad' 'SR_SSHB_USER' 'SR_SSHB_WRONG_KEY')
            batch  = @(
                (& $connect 'slot-bad-one' 'SR_SSHB_BAD_ONE' 'SR_SSHB_KEY'),
                (& $connect 'slot-bad-two' 'SR_SSHB_BAD_TWO' 'SR_SSHB_KEY'),
                (& $connect 'slot-good' 'SR_SSHB_USER' 'SR_SSHB_KEY')
            )
        }
        $script:Answers = @{}
        foreach ($line in @($Run.lines | Where-Object { $_.StartsWith('BATCH ') }))
        {
            foreach ($done in @(($line.Substring(6) | ConvertFrom-Json).result.done)) { $Answers[[int]$done.tag] = $done.answer }
        }
        $script:Because = 'child stdout: ' + ($Run.lines -join "`n") + "`nstderr: " + $Run.stderr
    }
}
AfterAll {
    Stop-SrTestSshd -Sshd $Sshd
}

Describe 'SSH connects in Invoke-SrHostBatch slots and the protocol channel (loopback sshd, child pwsh)' {
    It 'the child ran to its end' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $Run.exit | Should -Be 0 -Because $Because
        $Run.lines[-1] | Should -Match '^END \d+$' -Because $Because
    }
    It 'every main-thread write reaches stdout while three slots connect at once and after they did' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $loops = [int]($Run.lines[-1] -replace '^END ', '')
        $loops | Should -BeGreaterThan 1 -Because $Because
        @($Run.lines | Where-Object { $_ -match '^MAIN \d+$' }) | Should -Be @(1..$loops | ForEach-Object { "MAIN $_" }) -Because $Because
        @($Run.lines | Where-Object { $_.StartsWith('BATCH ') }).Count | Should -Be ($loops + 1) -Because $Because
        $Run.lines | Should -Contain "WRITE-OUTPUT $loops" -Because 'the success stream of the main runspace must reach stdout too'
        $Answers.Keys.Count | Should -Be 4 -Because $Because
        $Answers[3].ok | Should -BeTrue -Because $Because
        $Answers[9].ok | Should -BeTrue -Because 'the slot that connected answers a ping in the next batch'
    }
    It 'nothing ssh wrote reaches stdout outside the answers' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        @($Run.lines | Where-Object { $_ -notmatch '^(SINGLE|BATCH) ' -and $_ -match 'Permission denied|srbad|@127\.0\.0\.1' }) | Should -BeNullOrEmpty -Because $Because
    }
    It 'a refused user in one slot is auth, with its own ssh text and none of the other slot''s' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $one = $Answers[1]
        $two = $Answers[2]
        $one.ok | Should -BeFalse -Because $Because
        $one.error.category | Should -Be 'auth'
        $one.error.errorId | Should -Be 'SrHostAuthenticationFailed'
        $one.error.message | Should -BeLike '*srbadone@127.0.0.1: Permission denied*'
        $one.error.message | Should -Not -BeLike '*srbadtwo*'
        $two.error.category | Should -Be 'auth'
        $two.error.message | Should -BeLike '*srbadtwo@127.0.0.1: Permission denied*'
        $two.error.message | Should -Not -BeLike '*srbadone*'
    }
    It 'a connect on the main runspace (no slots) with a key the server refuses is auth with ssh''s text, and stdout works after it' {
        if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
        $single = @($Run.lines | Where-Object { $_.StartsWith('SINGLE ') })
        $single.Count | Should -Be 1 -Because $Because
        $a = $single[0].Substring(7) | ConvertFrom-Json
        $a.ok | Should -BeFalse
        $a.error.category | Should -Be 'auth'
        $a.error.retryable | Should -BeFalse
        $a.error.message | Should -BeLike '*Permission denied*'
        $a.error.message | Should -Not -BeLike '*srbad*'
        $Run.lines | Should -Contain 'AFTER-SINGLE'
    }
}
