# Lab reboots that take time: a 'rebooting' guest is unreachable until upAt,
# RebootNeverReturns leaves it 'down' for good, and state writes are atomic
# (temporary file + rename), also with several processes at once.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
    $script:LabManifest = Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1'
    $script:GuestManifest = Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1'
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
    # Rewrites a state file with upAt moved to the given UTC time (as if time had passed).
    $script:SetUpAt = {
        param([string] $StatePath, [datetime] $UpAt)
        $state = Get-Content -LiteralPath $StatePath -Raw | ConvertFrom-Json -AsHashtable -DateKind String
        $state.upAt = $UpAt.ToUniversalTime().ToString('o')
        [IO.File]::WriteAllText($StatePath, ($state | ConvertTo-Json -Depth 30))
        $state.upAt
    }
    $platform = Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'Platform'
    $script:Dispatching = @(Get-ChildItem $platform -Filter '*.ps1' | Where-Object { (Get-Content -LiteralPath $_.FullName -Raw) -match '\$script:SrPlatformProvider \$MyInvocation' } | ForEach-Object BaseName)
    $script:InvokeLab = {
        param([string] $StatePath, [string] $Operation)
        & (Get-Module SnapReady.Lab) { param($s, $o) Invoke-SrLabOperation -StatePath $s -Operation $o -Parameters @{} } $StatePath $Operation
    }
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    # Starts a child pwsh (a separate process) running -Script with -Arguments; returns the Process.
    $script:StartChild = {
        param([string] $Script, [string[]] $Arguments)
        $file = Join-Path $TestDrive ('child-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value $Script
        $info = [Diagnostics.ProcessStartInfo]::new($Pwsh)
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $file) + $Arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        [Diagnostics.Process]::Start($info)
    }
}
AfterAll {
    Disable-SrLab
}

Describe 'Lab reboot delay: options' {
    It 'defaults to 0 and a restart completes at once, as before' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'instant.json')
        (Get-SrLabState -StatePath $lab.statePath).rebootDelaySeconds | Should -Be 0
        Enable-SrLab -StatePath $lab.statePath
        Invoke-SrLabDrift -StatePath $lab.statePath -PendingReboot
        $null = Request-SrReboot
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.status | Should -Be 'up'
        $state.upAt | Should -BeNullOrEmpty
        $state.os.bootCount | Should -Be 2
        $state.os.lastBootUpTime | Should -Be '2025-01-01T02:00:00.0000000Z'
        (Get-SrGuestFact).pendingReboot.pending | Should -BeFalse
    }
    It 'New-SrLabGuest -RebootDelaySeconds stores the delay; Set-SrLabOption changes it' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'opt.json') -RebootDelaySeconds 7
        (Get-SrLabState -StatePath $lab.statePath).rebootDelaySeconds | Should -Be 7
        Set-SrLabOption -StatePath $lab.statePath -RebootDelaySeconds 0
        (Get-SrLabState -StatePath $lab.statePath).rebootDelaySeconds | Should -Be 0
        Set-SrLabOption -StatePath $lab.statePath -RebootDelaySeconds 3
        (Get-SrLabState -StatePath $lab.statePath).rebootDelaySeconds | Should -Be 3
    }
    It 'refuses a negative or absurd delay' {
        { New-SrLabGuest -Path (Join-Path $TestDrive 'neg.json') -RebootDelaySeconds -1 } | Should -Throw
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'big.json')
        { Set-SrLabOption -StatePath $lab.statePath -RebootDelaySeconds 100000 } | Should -Throw
    }
    It 'a state file written before the option existed still reboots at once' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'old.json')
        $state = Get-Content -LiteralPath $lab.statePath -Raw | ConvertFrom-Json -AsHashtable -DateKind String
        $state.Remove('rebootDelaySeconds')
        $state.Remove('upAt')
        [IO.File]::WriteAllText($lab.statePath, ($state | ConvertTo-Json -Depth 30))
        Enable-SrLab -StatePath $lab.statePath
        $null = Request-SrReboot
        (Get-SrLabState -StatePath $lab.statePath).os.bootCount | Should -Be 2
        (Get-SrGuestFact).os.version | Should -Be '10.0.17763'
    }
}

Describe 'Lab reboot delay: a rebooting guest' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'slow-guest.json') -RebootDelaySeconds 60 -Fault DriverRequiresReboot
        Enable-SrLab -StatePath $lab.statePath
        $null = Add-SrTrustedPublisher -Thumbprint $lab.signerThumbprint -CertificatePath $lab.catPath
        $null = Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion
        $script:driver = Install-SrVioSerialDriver -InfPath $lab.infPath
        Invoke-SrLabDrift -StatePath $lab.statePath -PendingReboot -StopAgentService
        $script:before = [datetime]::UtcNow
        $script:reboot = Request-SrReboot -Reason 'lab'
        $script:after = [datetime]::UtcNow
        $script:rebooting = Get-SrLabState -StatePath $lab.statePath
    }
    It 'reports the reboot as started and is rebooting with upAt = now + delay (UTC ISO 8601)' {
        $reboot.changed | Should -BeTrue
        $driver.rebootRequired | Should -BeTrue
        $rebooting.status | Should -Be 'rebooting'
        $rebooting.upAt | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$'
        $upAt = [datetime]::Parse($rebooting.upAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
        $upAt | Should -BeGreaterOrEqual $before.AddSeconds(60)
        $upAt | Should -BeLessOrEqual $after.AddSeconds(60)
        $rebooting.os.bootCount | Should -Be 1
    }
    It 'fails every platform call with SrGuestUnreachable / ConnectionError before upAt' {
        $Dispatching.Count | Should -BeGreaterThan 20
        foreach ($operation in $Dispatching)
        {
            $caught = $null
            try { & $InvokeLab $lab.statePath $operation } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty -Because $operation
            $caught.FullyQualifiedErrorId | Should -BeLike 'SrGuestUnreachable*' -Because $operation
            $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
            $caught.Exception.Message | Should -BeExactly ('lab guest slow-guest is unreachable (rebooting until {0})' -f $rebooting.upAt)
            $caught.TargetObject.retryable | Should -BeTrue
            $caught.TargetObject.status | Should -BeExactly 'rebooting'
            $caught.TargetObject.upAt | Should -BeExactly $rebooting.upAt
        }
    }
    It 'fails the public functions the same way, with the error record intact' {
        $caught = $null
        try { Get-SrGuestFact } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'SrGuestUnreachable*'
        $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
        { Set-SrVssOption -Value 5 } | Should -Throw -ExpectedMessage '*unreachable (rebooting until*'
    }
    It 'Invoke-SrGuestCommand returns ok:false, errorId SrGuestUnreachable..., ConnectionError, retryable' {
        foreach ($request in @(@{ command = 'Get-SrGuestFact'; parameters = @{} }, @{ command = 'Set-SrVssOption'; parameters = @{ Value = 5 } }, @{ command = 'Request-SrReboot'; parameters = @{} }))
        {
            $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 $request) | ConvertFrom-Json
            $out.ok | Should -BeFalse
            $out.error.errorId | Should -BeLike 'SrGuestUnreachable*'
            $out.error.category | Should -Be 'ConnectionError'
            $out.error.retryable | Should -BeTrue
            $out.error.message | Should -BeLike '*slow-guest is unreachable (rebooting until*'
        }
    }
    It 'changes nothing in the state while unreachable' {
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.status | Should -Be 'rebooting'
        $state.upAt | Should -Be $rebooting.upAt
        ($state | ConvertTo-Json -Depth 30) | Should -BeExactly ($rebooting | ConvertTo-Json -Depth 30)
    }
    It 'Set-SrLabOption keeps the upAt of a reboot in progress' {
        Set-SrLabOption -StatePath $lab.statePath -RebootDelaySeconds 1
        (Get-SrLabState -StatePath $lab.statePath).upAt | Should -Be $rebooting.upAt
    }
    It 'the first call at or after upAt completes the boot exactly like an instant reboot, then proceeds' {
        $upAt = & $SetUpAt $lab.statePath ([datetime]::UtcNow.AddSeconds(-1))
        $facts = Get-SrGuestFact
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.status | Should -Be 'up'
        $state.upAt | Should -BeNullOrEmpty
        $state.os.bootCount | Should -Be 2
        $state.os.lastBootUpTime | Should -Be $upAt
        $facts.os.lastBootUpTime | Should -Be $upAt
        $facts.pendingReboot.pending | Should -BeFalse
        $facts.vioSerial.bound | Should -BeTrue
        $facts.agentService.status | Should -Be 'Running'
        $facts.vssProvider.status | Should -Be 'Stopped'
        (Set-SrVssOption -Value 5).changed | Should -BeTrue
    }
    It 'waits in real time: unreachable during a 1 s delay, back after it' {
        $null = Request-SrReboot
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.status | Should -Be 'rebooting'
        { Get-SrGuestFact } | Should -Throw -ExpectedMessage '*unreachable*'
        $upAt = [datetime]::Parse($state.upAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
        $wait = ($upAt - [datetime]::UtcNow).TotalMilliseconds
        if ($wait -gt 0) { Start-Sleep -Milliseconds ([int][math]::Ceiling($wait) + 20) }
        (Get-SrGuestFact).os.lastBootUpTime | Should -Be $state.upAt
        (Get-SrLabState -StatePath $lab.statePath).os.bootCount | Should -Be 3
    }
}

Describe 'Lab reboot: RebootNeverReturns' {
    It 'is down forever after a restart, with or without a delay; every call is SrGuestUnreachable' {
        foreach ($delay in @(0, 1))
        {
            $lab = New-SrLabGuest -Path (Join-Path $TestDrive "down$delay.json") -Fault RebootNeverReturns -RebootDelaySeconds $delay
            Enable-SrLab -StatePath $lab.statePath
            (Request-SrReboot).changed | Should -BeTrue
            $state = Get-SrLabState -StatePath $lab.statePath
            $state.status | Should -Be 'down'
            # Even long after any upAt would have passed.
            $null = & $SetUpAt $lab.statePath ([datetime]::UtcNow.AddDays(-1))
            foreach ($operation in $Dispatching)
            {
                $caught = $null
                try { & $InvokeLab $lab.statePath $operation } catch { $caught = $_ }
                $caught.FullyQualifiedErrorId | Should -BeLike 'SrGuestUnreachable*' -Because $operation
                $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
                $caught.Exception.Message | Should -BeLike "lab guest down$delay is unreachable (down*"
            }
            $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 @{ command = 'Get-SrGuestFact'; parameters = @{} }) | ConvertFrom-Json
            $out.ok | Should -BeFalse
            $out.error.errorId | Should -BeLike 'SrGuestUnreachable*'
            $out.error.category | Should -Be 'ConnectionError'
            $out.error.retryable | Should -BeTrue
            (Get-SrLabState -StatePath $lab.statePath).status | Should -Be 'down'
        }
    }
}

Describe 'Lab state writes are atomic' {
    It 'leaves no temporary file behind' {
        $dir = Join-Path $TestDrive 'tmpcheck'
        $lab = New-SrLabGuest -Path (Join-Path $dir 'g.json') -RebootDelaySeconds 1
        Enable-SrLab -StatePath $lab.statePath
        $null = Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion
        Set-SrLabOption -StatePath $lab.statePath -RebootDelaySeconds 0
        @(Get-ChildItem -LiteralPath $dir -Force | ForEach-Object Name) | Should -Be @('g.json')
    }
    It 'keeps the old state and removes the temporary file when the rename fails' {
        $dir = Join-Path $TestDrive 'renamefail'
        $lab = New-SrLabGuest -Path (Join-Path $dir 'g.json')
        $target = Join-Path $dir 'is-a-directory'
        $null = New-Item -ItemType Directory -Path $target
        { & (Get-Module SnapReady.Lab) { param($p, $s) Write-SrLabState -Path $p -State $s } $target (Get-SrLabState -StatePath $lab.statePath) } | Should -Throw
        @(Get-ChildItem -LiteralPath $dir -Force | ForEach-Object Name | Sort-Object) | Should -Be @('g.json', 'is-a-directory')
    }
    It 'two processes write different state files at once and are killed mid-write; readers only ever see complete JSON' {
        $writer = @'
param([string] $Manifest, [string] $GuestManifest, [string] $StatePath)
$ErrorActionPreference = 'Stop'
Import-Module $GuestManifest
Import-Module $Manifest
$null = New-SrLabGuest -Path $StatePath
Enable-SrLab -StatePath $StatePath
'started'
[Console]::Out.Flush()
for ($i = 0; $i -lt 100000; $i++) {
    Add-SrLabFile -StatePath $StatePath -Path ('C:\big\file{0}.txt' -f ($i % 100)) -Content ('x' * 4000) | Out-Null
    $null = Request-SrReboot
}
'@
        $paths = @(1..2 | ForEach-Object { Join-Path $TestDrive "concurrent-$_.json" })
        $children = @($paths | ForEach-Object { & $StartChild $writer @($LabManifest, $GuestManifest, $_) })
        foreach ($child in $children) { $child.StandardOutput.ReadLine() | Should -Be 'started' }
        # Read both files over and over until each writer has rebooted its
        # guest a few times (or 20 s have passed), then kill both mid-loop.
        $reads = 0
        $broken = [Collections.Generic.List[string]]::new()
        $boots = @{}
        $until = [datetime]::UtcNow.AddSeconds(20)
        while ([datetime]::UtcNow -lt $until -and @($paths | Where-Object { -not $boots.ContainsKey($_) -or $boots[$_] -lt 4 }).Count -gt 0)
        {
            foreach ($p in $paths)
            {
                $text = [IO.File]::ReadAllText($p)
                try
                {
                    $document = [Text.Json.JsonDocument]::Parse($text)
                    $boots[$p] = $document.RootElement.GetProperty('os').GetProperty('bootCount').GetInt32()
                    $document.Dispose()
                }
                catch { $broken.Add($p) }
                $reads++
            }
        }
        $exitedEarly = @($children | Where-Object { $_.HasExited })
        foreach ($child in $children)
        {
            if (-not $child.HasExited) { $child.Kill() }
            $child.WaitForExit()
        }
        foreach ($child in $exitedEarly) { $child.StandardError.ReadToEnd() | Should -BeNullOrEmpty }
        $exitedEarly.Count | Should -Be 0
        $broken | Should -BeNullOrEmpty
        $reads | Should -BeGreaterThan 10
        foreach ($p in $paths)
        {
            $state = Get-Content -LiteralPath $p -Raw | ConvertFrom-Json -AsHashtable -DateKind String
            $state.schema | Should -Be 'snapready-lab/1'
            $state.os.bootCount | Should -BeGreaterOrEqual 4
            @($state.files.Keys | Where-Object { $_ -like 'c:\big\*' }).Count | Should -BeGreaterOrEqual 3
        }
    }
}
