# Invoke-SrHostBatch: several host requests side by side in runspaces
# ("slots") of one pwsh, each answered with the line Invoke-SrHostRequest
# would write. Runs for real in this pwsh (ping needs no guest).
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
    $script:Ping = & $ToB64 @{ op = 'ping' }
    # A request that keeps its slot busy for hundreds of ms: a new lab guest's
    # first call (facts) with its connect folded in, which imports the guest
    # module and the lab into the slot's runspace. A bare ping no longer takes
    # long enough (a slot's import of SnapReady.Host is 23-48 ms) for tests
    # that need a request still running.
    $script:SlowRequest = {
        param([string] $Name, [int] $TimeoutMs = 60000)
        $guestPath = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
        $labPath = Join-Path $RepoRoot 'guest' 'lab' 'SnapReady.Lab'
        Import-Module (Join-Path $labPath 'SnapReady.Lab.psd1') -Global
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive "$Name.json")
        $hash = & (Get-Module SnapReady.Host) { param($p) Get-SrHostModuleHash -Path $p } $guestPath
        $connect = @{ op = 'connect'; id = $Name; transport = 'lab'; labState = $lab.statePath; labModulePath = $labPath; guestModulePath = $guestPath; pinnedGuestCodeHash = $hash; timeoutMs = 60000 }
        $facts = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"command":"Get-SrGuestFact","parameters":{}}'))
        & $ToB64 @{ op = 'call'; id = $Name; requestBase64 = $facts; timeoutMs = $TimeoutMs; connectBase64 = (& $ToB64 $connect) }
    }
    # Sends one batch; checks the one-line contract; returns the parsed answer.
    $script:Batch = {
        param([int] $Slots = 4, [object[]] $Submit = @(), [int[]] $Stop = @(), [int] $WaitMs = 10000)
        # Requests that do not set their own time limit get 60 s.
        foreach ($item in $Submit) { if (-not $item.ContainsKey('timeoutMs')) { $item['timeoutMs'] = 60000 } }
        $out = @(Invoke-SrHostBatch -RequestBase64 (& $ToB64 @{ slots = $Slots; submit = @($Submit); stop = @($Stop); waitMs = $WaitMs }))
        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType [string]
        $out[0] | Should -Not -Match '[\r\n]'
        $out[0] | ConvertFrom-Json -DateKind String
    }
    # Batches until every tag in $Tags is answered (or 60 s); returns tag -> answer.
    $script:Collect = {
        param([long[]] $Tags, [object[]] $Submit = @(), [int[]] $Stop = @())
        $answers = @{}
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        $first = $true
        while (@($Tags | Where-Object { -not $answers.ContainsKey($_) }).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline)
        {
            $r = if ($first) { & $Batch -Submit $Submit -Stop $Stop } else { & $Batch }
            $first = $false
            $r.ok | Should -BeTrue
            foreach ($d in @($r.result.done)) { $answers[[long]$d.tag] = $d.answer }
        }
        $answers
    }
}

Describe 'Invoke-SrHostBatch' {
    BeforeEach {
        Import-Module (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
    }
    AfterEach {
        # Every slot runspace of the test, running or retired, is ended and
        # disposed: a runspace's pipeline thread left behind would keep this
        # process from exiting.
        & (Get-Module SnapReady.Host) {
            $all = New-Object -TypeName 'System.Collections.Generic.List[object]'
            foreach ($entry in $script:SrHostSlots.Values) { $all.Add($entry) }
            foreach ($entry in $script:SrHostRetiredSlots) { $all.Add($entry) }
            foreach ($entry in $all)
            {
                if ($null -ne $entry.handle) { $null = $entry.handle.AsyncWaitHandle.WaitOne(30000) }
                if ($null -ne $entry.pipeline) { $entry.pipeline.Dispose() }
                $entry.runspace.Dispose()
            }
            $script:SrHostSlots.Clear()
            $script:SrHostRetiredSlots.Clear()
        }
    }

    It 'answers each request with what Invoke-SrHostRequest answers, from runspaces of this process' {
        $answers = & $Collect -Tags 1, 2, 3 -Submit @(
            @{ tag = 1; slot = 0; request = $Ping },
            @{ tag = 2; slot = 1; request = $Ping },
            @{ tag = 3; slot = 2; request = (& $ToB64 @{ op = 'nope' }) })
        $answers[1L].ok | Should -BeTrue
        $answers[1L].result.pid | Should -Be $PID
        $answers[2L].result.pid | Should -Be $PID
        $answers[3L].ok | Should -BeFalse
        $answers[3L].error.errorId | Should -Be 'SrHostUnknownOp'
        # Three slots were opened as runspaces of this process, beside this one.
        (& (Get-Module SnapReady.Host) { $script:SrHostSlots.Count }) | Should -Be 3
    }

    It 'runs requests of different slots at the same time' {
        # The process reports several slots busy at once: each slow request
        # runs in its fresh runspace while the next slots are being opened.
        $submit = foreach ($n in 0..3) { @{ tag = $n + 1; slot = $n; request = (& $SlowRequest "vm-side$n"); timeoutMs = 120000 } }
        $r = & $Batch -Submit @($submit) -WaitMs 0
        $r.ok | Should -BeTrue
        ($r.result.busy + @($r.result.done).Count) | Should -Be 4
        $r.result.busy | Should -BeGreaterThan 1
        $rest = & $Collect -Tags @(1, 2, 3, 4 | Where-Object { $_ -notin @($r.result.done | ForEach-Object { $_.tag }) })
        @($rest.Values | Where-Object { -not $_.ok -or -not $_.result.ok }).Count | Should -Be 0
    }

    It 'keeps a slot''s runspace, and its module, for the next request' {
        $null = & $Collect -Tags 1 -Submit @(@{ tag = 1; slot = 0; request = $Ping })
        $runspace = & (Get-Module SnapReady.Host) { $script:SrHostSlots[0].runspace.InstanceId }
        $null = & $Collect -Tags 2 -Submit @(@{ tag = 2; slot = 0; request = $Ping })
        (& (Get-Module SnapReady.Host) { $script:SrHostSlots[0].runspace.InstanceId }) | Should -Be $runspace
    }

    It 'refuses a second request for a busy slot, and starts nothing of that batch' {
        # Without waiting: the slot's first (slow) request is still running.
        $r = & $Batch -Submit @(@{ tag = 1; slot = 0; request = (& $SlowRequest 'vm-busy'); timeoutMs = 120000 }) -WaitMs 0
        @($r.result.done).Count | Should -Be 0
        $busy = & $Batch -Submit @(@{ tag = 2; slot = 1; request = $Ping }, @{ tag = 3; slot = 0; request = $Ping }) -WaitMs 0
        $busy.ok | Should -BeFalse
        $busy.error.errorId | Should -Be 'SrHostSlotBusy'
        $busy.error.message | Should -Match 'slot 0 is still running tag 1'
        (& (Get-Module SnapReady.Host) { $script:SrHostSlots.ContainsKey(1) }) | Should -BeFalse
        $twice = & $Batch -Submit @(@{ tag = 4; slot = 2; request = $Ping }, @{ tag = 5; slot = 2; request = $Ping })
        $twice.ok | Should -BeFalse
        $twice.error.errorId | Should -Be 'SrHostSlotBusy'
    }

    It 'stops a slot: its runspace is retired and the next request opens a fresh one' {
        $null = & $Collect -Tags 1 -Submit @(@{ tag = 1; slot = 0; request = $Ping })
        $before = & (Get-Module SnapReady.Host) { $script:SrHostSlots[0].runspace.InstanceId }
        # Stop and a new request for the same slot in one batch: the stop goes first.
        $answers = & $Collect -Tags 2 -Submit @(@{ tag = 2; slot = 0; request = $Ping }) -Stop 0
        $answers[2L].ok | Should -BeTrue
        (& (Get-Module SnapReady.Host) { $script:SrHostSlots[0].runspace.InstanceId }) | Should -Not -Be $before
        # The retired runspace is disposed by a later batch.
        $null = & $Batch
        (& (Get-Module SnapReady.Host) { $script:SrHostRetiredSlots.Count }) | Should -Be 0
    }

    It 'refuses malformed batches, naming the field' -TestCases @(
        @{ Why = 'not base64 JSON'; Raw = '!!!'; Id = 'SrHostRequestMalformed'; Text = 'not base64' }
        @{ Why = 'slots 0'; Batch = @{ slots = 0; submit = @(); stop = @(); waitMs = 0 }; Id = 'SrHostFieldInvalid'; Text = 'slots must be a whole number from 1 to 256' }
        @{ Why = 'waitMs too long'; Batch = @{ slots = 1; submit = @(); stop = @(); waitMs = 60001 }; Id = 'SrHostFieldInvalid'; Text = 'waitMs must be' }
        @{ Why = 'slot out of range'; Batch = @{ slots = 2; submit = @(@{ tag = 1; slot = 2; request = 'e30='; timeoutMs = 1000 }); stop = @(); waitMs = 0 }; Id = 'SrHostFieldInvalid'; Text = 'slot must be a whole number from 0 to 1' }
        @{ Why = 'no time limit'; Batch = @{ slots = 2; submit = @(@{ tag = 1; slot = 0; request = 'e30=' }); stop = @(); waitMs = 0 }; Id = 'SrHostFieldInvalid'; Text = 'timeoutMs must be a whole number from 1 to 2147483647' }
        @{ Why = 'request with script text'; Batch = @{ slots = 1; submit = @(@{ tag = 1; slot = 0; request = "'; Remove-Item /"; timeoutMs = 1000 }); stop = @(); waitMs = 0 }; Id = 'SrHostFieldInvalid'; Text = 'must be base64' }
        @{ Why = 'submit not an array'; Batch = @{ slots = 1; submit = 'x'; stop = @(); waitMs = 0 }; Id = 'SrHostFieldInvalid'; Text = 'submit must be a JSON array' }
        @{ Why = 'stop missing'; Batch = @{ slots = 1; submit = @(); waitMs = 0 }; Id = 'SrHostFieldInvalid'; Text = 'stop must be a JSON array' }
        @{ Why = 'negative tag'; Batch = @{ slots = 1; submit = @(@{ tag = -1; slot = 0; request = 'e30='; timeoutMs = 1000 }); stop = @(); waitMs = 0 }; Id = 'SrHostFieldInvalid'; Text = 'tag must be' }
    ) {
        param($Why, $Raw, $Batch, $Id, $Text)
        $b64 = if ($null -ne $Raw) { $Raw } else { & $ToB64 $Batch }
        $out = @(Invoke-SrHostBatch -RequestBase64 $b64)
        $out.Count | Should -Be 1
        $answer = $out[0] | ConvertFrom-Json -DateKind String
        $answer.ok | Should -BeFalse
        $answer.error.category | Should -Be 'protocol'
        $answer.error.errorId | Should -Be $Id
        $answer.error.message | Should -Match ([regex]::Escape($Text))
        (& (Get-Module SnapReady.Host) { $script:SrHostSlots.Count }) | Should -Be 0
    }

    It 'stops a request still running past its time limit (and grace), answers a retryable timeout and retires the slot' {
        # No grace here; the slow request runs far longer than its 1 ms.
        $slow = & $SlowRequest 'vm-late'
        & (Get-Module SnapReady.Host) { $script:SrHostConst.SlotGraceMilliseconds = 0 }
        try
        {
            $answers = & $Collect -Tags 1, 2 -Submit @(@{ tag = 1; slot = 0; request = $slow; timeoutMs = 1 }, @{ tag = 2; slot = 1; request = $Ping; timeoutMs = 60000 })
        }
        finally
        {
            & (Get-Module SnapReady.Host) { $script:SrHostConst.SlotGraceMilliseconds = 5000 }
        }
        $answers[1L].ok | Should -BeFalse
        $answers[1L].error.category | Should -Be 'timeout'
        $answers[1L].error.errorId | Should -Be 'SrHostSlotTimeout'
        $answers[1L].error.retryable | Should -BeTrue
        $answers[2L].ok | Should -BeTrue
        (& (Get-Module SnapReady.Host) { $script:SrHostSlots.ContainsKey(0) }) | Should -BeFalse
        (& (Get-Module SnapReady.Host) { $script:SrHostSlots.ContainsKey(1) }) | Should -BeTrue
        # Answered once: later batches bring nothing more for tag 1.
        $later = & $Batch -WaitMs 200
        @($later.result.done).Count | Should -Be 0
    }

    It 'folds a guest''s connect into its first call (connectBase64) and its disconnect into the slot''s next request (disconnectFirst)' {
        $guestPath = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
        $labPath = Join-Path $RepoRoot 'guest' 'lab' 'SnapReady.Lab'
        Import-Module (Join-Path $labPath 'SnapReady.Lab.psd1') -Global
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'vm-folded.json')
        $hash = & (Get-Module SnapReady.Host) { param($p) Get-SrHostModuleHash -Path $p } $guestPath
        $connect = @{ op = 'connect'; id = 'vm-folded'; transport = 'lab'; labState = $lab.statePath; labModulePath = $labPath; guestModulePath = $guestPath; pinnedGuestCodeHash = $hash; timeoutMs = 60000 }
        $facts = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"command":"Get-SrGuestFact","parameters":{}}'))
        $call = @{ op = 'call'; id = 'vm-folded'; requestBase64 = $facts; timeoutMs = 60000 }
        # The batch item's time limit covers the connect and the call.
        $first = $call.Clone()
        $first['connectBase64'] = & $ToB64 $connect
        $answers = & $Collect -Tags 1 -Submit @(@{ tag = 1; slot = 0; request = (& $ToB64 $first); timeoutMs = 120000 })
        $answers[1L].ok | Should -BeTrue
        $answers[1L].result.ok | Should -BeTrue
        $answers[1L].result.result.os.version | Should -Be '10.0.17763'
        # The connection lives in the slot: a plain call there needs no connect.
        $answers = & $Collect -Tags 2 -Submit @(@{ tag = 2; slot = 0; request = (& $ToB64 $call) })
        $answers[2L].result.ok | Should -BeTrue
        # The guest's disconnect rides on the slot's next request, whatever it is.
        $answers = & $Collect -Tags 3 -Submit @(@{ tag = 3; slot = 0; request = (& $ToB64 @{ op = 'ping'; disconnectFirst = @('vm-folded') }) })
        $answers[3L].result.pid | Should -Be $PID
        $answers = & $Collect -Tags 4 -Submit @(@{ tag = 4; slot = 0; request = (& $ToB64 $call) })
        $answers[4L].error.errorId | Should -Be 'SrHostNotConnected'
    }

    It 'a slot imports SnapReady.Host once, on its first request, and remembers only an import that succeeded' {
        $slotScript = & (Get-Module SnapReady.Host) { $script:SrHostSlotScript }
        $manifest = & (Get-Module SnapReady.Host) { $script:SrHostManifestPath }
        $missing = Join-Path $TestDrive 'missing' 'SnapReady.Host.psd1'
        $runspace = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        $runspace.Open()
        try
        {
            $run = {
                param([string] $ModulePath)
                $pipeline = [powershell]::Create()
                $pipeline.Runspace = $runspace
                $null = $pipeline.AddScript($slotScript).AddArgument($ModulePath).AddArgument($Ping)
                try { @($pipeline.Invoke()) } finally { $pipeline.Dispose() }
            }
            { & $run $missing } | Should -Throw
            $runspace.SessionStateProxy.GetVariable('SrHostSlotModule') | Should -BeNullOrEmpty
            $out = @(& $run $manifest)
            ($out[-1] | ConvertFrom-Json).result.pid | Should -Be $PID
            $module = $runspace.SessionStateProxy.GetVariable('SrHostSlotModule')
            $module.Name | Should -Be 'SnapReady.Host'
            # Later requests do not import again (not even from the path they are given).
            $out = @(& $run $missing)
            ($out[-1] | ConvertFrom-Json).ok | Should -BeTrue
            [object]::ReferenceEquals($module, $runspace.SessionStateProxy.GetVariable('SrHostSlotModule')) | Should -BeTrue
        }
        finally
        {
            $runspace.Dispose()
        }
    }

    It 'with more than 64 busy slots, notices one beyond the first 64 finishing (WaitAny takes at most 64 handles)' {
        # Stand-in slots, so that 70 need no runspaces: 69 never finish, slot 69 finishes after 300 ms.
        $result = & (Get-Module SnapReady.Host) {
            $never = [System.Threading.ManualResetEvent]::new($false)
            $fake = {
                param([int] $Slot, [object] $Handle)
                $pipeline = [pscustomobject]@{}
                $pipeline | Add-Member -MemberType ScriptMethod -Name EndInvoke -Value { param($h) , @('noise', '{"ok":true,"result":{"slot":69}}') }
                $pipeline | Add-Member -MemberType ScriptMethod -Name Dispose -Value { }
                [pscustomobject]@{ slot = $Slot; runspace = $null; pipeline = $pipeline; handle = $Handle; tag = [long](1000 + $Slot); deadline = [long]::MaxValue; retiredAt = $null }
            }
            try
            {
                for ($s = 0; $s -lt 69; $s++) { $script:SrHostSlots[$s] = & $fake $s ([pscustomobject]@{ IsCompleted = $false; AsyncWaitHandle = $never }) }
                # A Task is an IAsyncResult: IsCompleted turns true after the delay.
                $script:SrHostSlots[69] = & $fake 69 ([System.Threading.Tasks.Task]::Delay(300))
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $done = @(Wait-SrHostSlot -TimeoutMilliseconds 20000)
                @{ done = $done; ms = $clock.ElapsedMilliseconds; left = $script:SrHostSlots[69].pipeline }
            }
            finally
            {
                $script:SrHostSlots.Clear()
                $never.Dispose()
            }
        }
        $result.done.Count | Should -Be 1
        $result.done[0].tag | Should -Be 1069
        $result.done[0].answer | Should -BeExactly '{"ok":true,"result":{"slot":69}}'
        $result.ms | Should -BeLessThan 10000
        $result.left | Should -BeNullOrEmpty
    }

    It 'keeps the slot count of the first batch for the life of the process' {
        $null = & $Batch -Slots 4
        $r = & $Batch -Slots 8
        $r.ok | Should -BeFalse
        $r.error.message | Should -Match 'slots is 4 for this process; it cannot change to 8'
    }
}
