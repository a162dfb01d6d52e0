# Issue 12 (reliability) on lab guests, with the real primitives: the guest
# lock (Lock-SrGuest / Unlock-SrGuest, also raced by several processes), the
# record of snapready's reboots that keeps a stuck pending reboot from being
# rebooted for again and again (fault RebootPendingStuck), and who asked for
# snapready's pending reboot (pendingReboot.requestedBy).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
    $script:GuestManifest = Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1'
    $script:LabManifest = Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1'
    # Writes one value of the lock key, as a run cut short (or a skewed past) would have left it.
    $script:SetLockValue = {
        param([string] $Name, [string] $Value)
        & (Get-Module SnapReady.Guest) { param($n, $v) Set-SrPlatformRegistryValue -Path $script:SrConst.LockKey -Name $n -Value $v -Type String } $Name $Value
    }
    $script:CbsKey = 'hklm:\software\microsoft\windows\currentversion\component based servicing\rebootpending'
}
AfterAll {
    Disable-SrLab
}

Describe 'Lock-SrGuest and Unlock-SrGuest' {
    BeforeEach {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'lock.json')
        Enable-SrLab -StatePath $lab.statePath
    }
    It 'takes a free lock with an expiry TtlSeconds ahead, and refuses it to another owner with the holder and its times' {
        $a = Lock-SrGuest -Owner 'runner-a pid 1 #a' -TtlSeconds 600
        $a.acquired | Should -BeTrue
        $a.changed | Should -BeTrue
        $expires = [datetime]::Parse($a.expiresAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)
        $taken = [datetime]::Parse($a.acquiredAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)
        ($expires - $taken).TotalSeconds | Should -Be 600
        $b = Lock-SrGuest -Owner 'runner-b pid 2 #b' -TtlSeconds 600
        $b.acquired | Should -BeFalse
        $b.changed | Should -BeFalse
        $b.owner | Should -BeExactly 'runner-a pid 1 #a'
        $b.acquiredAt | Should -BeExactly $a.acquiredAt
        $b.expiresAt | Should -BeExactly $a.expiresAt
        $b.detail | Should -BeExactly ('The guest lock is held by runner-a pid 1 #a since {0}; it expires at {1} unless renewed.' -f $a.acquiredAt, $a.expiresAt)
        $values = (Get-SrLabState -StatePath $lab.statePath).registry['hklm:\software\snapready\lock'].values
        $values['owner'].data | Should -BeExactly 'runner-a pid 1 #a'
    }
    It 'renews for the same owner (acquiredAt kept, expiry moved on)' {
        $a = Lock-SrGuest -Owner 'runner-a pid 1 #a' -TtlSeconds 600
        Start-Sleep -Milliseconds 20
        $again = Lock-SrGuest -Owner 'runner-a pid 1 #a' -TtlSeconds 900
        $again.acquired | Should -BeTrue
        $again.acquiredAt | Should -BeExactly $a.acquiredAt
        $again.expiresAt | Should -BeGreaterThan $a.expiresAt
        $again.detail | Should -BeLike 'Guest lock renewed until *'
    }
    It 'releases only for its owner; after release another owner takes it' {
        $null = Lock-SrGuest -Owner 'runner-a pid 1 #a' -TtlSeconds 600
        $wrong = Unlock-SrGuest -Owner 'runner-b pid 2 #b'
        $wrong.changed | Should -BeFalse
        $wrong.owner | Should -BeExactly 'runner-a pid 1 #a'
        (Unlock-SrGuest -Owner 'runner-a pid 1 #a').changed | Should -BeTrue
        (Unlock-SrGuest -Owner 'runner-a pid 1 #a').changed | Should -BeFalse
        (Lock-SrGuest -Owner 'runner-b pid 2 #b' -TtlSeconds 600).acquired | Should -BeTrue
    }
    It 'takes over an expired lock and says whose it was' {
        $null = Lock-SrGuest -Owner 'runner-a pid 1 #a' -TtlSeconds 600
        & $SetLockValue 'ExpiresAt' ([datetime]::UtcNow.AddSeconds(-1).ToString('o'))
        $b = Lock-SrGuest -Owner 'runner-b pid 2 #b' -TtlSeconds 600
        $b.acquired | Should -BeTrue
        $b.previousOwner | Should -BeExactly 'runner-a pid 1 #a'
        $b.detail | Should -BeLike '*the lock of runner-a pid 1 #a had expired at *'
        # the old owner neither renews nor releases the new holder's lock
        (Lock-SrGuest -Owner 'runner-a pid 1 #a' -TtlSeconds 600).acquired | Should -BeFalse
        (Unlock-SrGuest -Owner 'runner-a pid 1 #a').changed | Should -BeFalse
    }
    It 'reads a write cut short (an owner without an expiry) or an unreadable expiry as expired' {
        & $SetLockValue 'Owner' 'runner-dead pid 9 #d'
        (Lock-SrGuest -Owner 'runner-b pid 2 #b' -TtlSeconds 600).previousOwner | Should -BeExactly 'runner-dead pid 9 #d'
        & $SetLockValue 'ExpiresAt' 'not a date'
        (Lock-SrGuest -Owner 'runner-c pid 3 #c' -TtlSeconds 600).acquired | Should -BeTrue
    }
    It 'refuses owners and lifetimes outside its contract' {
        { Lock-SrGuest -Owner 'x; Remove-Item C:\' -TtlSeconds 600 } | Should -Throw
        { Lock-SrGuest -Owner 'runner-a' -TtlSeconds 5 } | Should -Throw
        { Unlock-SrGuest -Owner '' } | Should -Throw
    }
    It 'goes through the command channel' {
        $request = '{"command":"Lock-SrGuest","parameters":{"Owner":"runner-a pid 1 #a","TtlSeconds":600}}'
        $out = Invoke-SrGuestCommand -RequestBase64 ([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($request))) | ConvertFrom-Json
        $out.ok | Should -BeTrue
        $out.result.acquired | Should -BeTrue
    }
}

Describe 'Lock-SrGuest raced by several processes' {
    It 'gives the lock to exactly one of four processes that ask at the same instant' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'race.json')
        $at = [datetime]::UtcNow.AddSeconds(12).ToString('o')
        $script = {
            param($GuestManifest, $LabManifest, $StatePath, $Owner, $At)
            Import-Module $GuestManifest -Force
            Import-Module $LabManifest -Force
            Enable-SrLab -StatePath $StatePath
            $start = [datetime]::Parse($At, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
            while ([datetime]::UtcNow -lt $start) { Start-Sleep -Milliseconds 5 }
            (Lock-SrGuest -Owner $Owner -TtlSeconds 600).acquired
        }
        $jobs = foreach ($i in 1..4) { Start-Job -ScriptBlock $script -ArgumentList $GuestManifest, $LabManifest, $lab.statePath, ('runner-{0} pid {0} #{0}' -f $i), $at }
        $results = @($jobs | Wait-Job -Timeout 120 | Receive-Job)
        $jobs | Remove-Job -Force
        $results.Count | Should -Be 4
        @($results | Where-Object { $_ }).Count | Should -Be 1
        $owner = (Get-SrLabState -StatePath $lab.statePath).registry['hklm:\software\snapready\lock'].values['owner'].data
        $owner | Should -Match '^runner-[1-4] pid [1-4] #[1-4]$'
    }
}

Describe 'A pending reboot that no reboot clears (fault RebootPendingStuck)' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'stuck.json') -Fault RebootPendingStuck
        Enable-SrLab -StatePath $lab.statePath
        $script:before = Get-SrGuestFact
        $script:premature = Register-SrRebootOutcome
        $script:reboot = Request-SrReboot -Reason 'lab'
        $script:afterReboot = Get-SrGuestFact
        $script:outcome = Register-SrRebootOutcome
        $script:again = Register-SrRebootOutcome
        $script:afterOutcome = Get-SrGuestFact
    }
    It 'starts with the CBS RebootPending key set, and nothing known about it' {
        $before.pendingReboot.reasons | Should -Be @('CBS_REBOOT_PENDING')
        @($before.pendingReboot.notClearedByReboot).Count | Should -Be 0
        $premature.changed | Should -BeFalse
        $premature.detail | Should -BeExactly 'snapready has not rebooted this guest.'
    }
    It 'keeps the key across the reboot, and records the attempt in the marker key' {
        (Get-SrLabState -StatePath $lab.statePath).os.bootCount | Should -Be 2
        $afterReboot.pendingReboot.reasons | Should -Be @('CBS_REBOOT_PENDING')
        @($afterReboot.pendingReboot.notClearedByReboot).Count | Should -Be 0
        $marker = (Get-SrLabState -StatePath $lab.statePath).registry['hklm:\software\snapready'].values
        $marker['rebootattemptboottime'].data | Should -BeExactly $before.os.lastBootUpTime
        $marker['rebootattemptbootid'].data | Should -Match '^[0-9a-f]{8}-'
        $marker['rebootattemptreasons'].data | Should -BeExactly 'CBS_REBOOT_PENDING'
    }
    It 'records once, for this boot, that the reboot did not clear it, and the facts report it' {
        $outcome.changed | Should -BeTrue
        $outcome.notCleared | Should -Be @('CBS_REBOOT_PENDING')
        $outcome.bootTime | Should -BeExactly $afterReboot.os.lastBootUpTime
        $again.changed | Should -BeFalse
        $again.notCleared | Should -Be @('CBS_REBOOT_PENDING')
        $afterOutcome.pendingReboot.notClearedByReboot | Should -Be @('CBS_REBOOT_PENDING')
        ($afterOutcome | ConvertTo-Json -Depth 10 | ConvertFrom-Json).pendingReboot.notClearedByReboot | Should -Be @('CBS_REBOOT_PENDING')
    }
    It 'forgets it after the next boot (someone else rebooted): the reason counts as new then' {
        $null = Request-SrReboot -Reason 'by hand'
        @((Get-SrGuestFact).pendingReboot.notClearedByReboot).Count | Should -Be 0
    }
    It 'Set-SrLabFault sets the key on an existing guest, and without the fault a reboot clears it' {
        $other = New-SrLabGuest -Path (Join-Path $TestDrive 'later.json')
        Set-SrLabFault -StatePath $other.statePath -Fault RebootPendingStuck
        Enable-SrLab -StatePath $other.statePath
        (Get-SrGuestFact).pendingReboot.reasons | Should -Be @('CBS_REBOOT_PENDING')
        $null = Request-SrReboot
        (Get-SrGuestFact).pendingReboot.reasons | Should -Be @('CBS_REBOOT_PENDING')
        Set-SrLabFault -StatePath $other.statePath -Fault RebootPendingStuck -Remove
        $null = Request-SrReboot
        (Get-SrGuestFact).pendingReboot.pending | Should -BeFalse
        Enable-SrLab -StatePath $lab.statePath
    }
}

Describe 'The record of snapready''s reboot follows the boot id, not LastBootUpTime' {
    BeforeAll {
        # LastBootUpTime reported differently within one boot (a clock correction): no reboot.
        $script:ShiftBootTime = {
            param([string] $StatePath)
            & (Get-Module SnapReady.Lab) {
                param($p)
                $s = Read-SrLabState -Path $p
                $s.os.lastBootUpTime = ([datetime]$s.os.lastBootUpTime).ToUniversalTime().AddSeconds(-7).ToString('o')
                Write-SrLabState -Path $p -State $s
            } $StatePath
        }
    }
    It 'keeps REBOOT_PENDING_STUCK''s record (notClearedByReboot) when LastBootUpTime changes within the boot' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'drift.json') -Fault RebootPendingStuck
        Enable-SrLab -StatePath $lab.statePath
        $null = Request-SrReboot -Reason 'lab'
        $outcome = Register-SrRebootOutcome
        $outcome.changed | Should -BeTrue
        $outcome.notCleared | Should -Be @('CBS_REBOOT_PENDING')
        $bootCount = (Get-SrLabState -StatePath $lab.statePath).os.bootCount
        $bootTime = (Get-SrGuestFact).os.lastBootUpTime
        & $ShiftBootTime $lab.statePath
        $f = Get-SrGuestFact
        $f.os.lastBootUpTime | Should -Not -Be $bootTime
        (Get-SrLabState -StatePath $lab.statePath).os.bootCount | Should -Be $bootCount
        $f.pendingReboot.notClearedByReboot | Should -Be @('CBS_REBOOT_PENDING')
        $again = Register-SrRebootOutcome
        $again.changed | Should -BeFalse
        $again.notCleared | Should -Be @('CBS_REBOOT_PENDING')
        # a real reboot still forgets it
        $null = Request-SrReboot -Reason 'by hand'
        @((Get-SrGuestFact).pendingReboot.notClearedByReboot).Count | Should -Be 0
    }
    It 'keeps snapready''s own request (SNAPREADY_REQUESTED) and its attempt when LastBootUpTime changes within the boot' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'drift-request.json')
        Enable-SrLab -StatePath $lab.statePath
        & (Get-Module SnapReady.Guest) { Set-SrRebootRequested -Reason 'test' -RequestedBy driver; Set-SrRebootAttempt }
        & $ShiftBootTime $lab.statePath
        $f = Get-SrGuestFact
        $f.pendingReboot.reasons | Should -Be @('SNAPREADY_REQUESTED')
        $f.pendingReboot.requestedBy | Should -Be @('driver')
        (Register-SrRebootOutcome).detail | Should -BeLike 'The reboot requested at * has not happened yet.'
        & (Get-Module SnapReady.Guest) { Set-SrRebootRequested -Reason 'test' -RequestedBy agent }
        (Get-SrGuestFact).pendingReboot.requestedBy | Should -Be @('driver', 'agent')
    }
    It 'falls back to LastBootUpTime for records without a boot id (an older module)' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'legacy-boot.json')
        Enable-SrLab -StatePath $lab.statePath
        $boot = (Get-SrGuestFact).os.lastBootUpTime
        & (Get-Module SnapReady.Guest) { param($b) Set-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name 'RebootRequestedBootTime' -Value $b -Type String } $boot
        (Get-SrGuestFact).pendingReboot.reasons | Should -Be @('SNAPREADY_REQUESTED')
        & $ShiftBootTime $lab.statePath
        @((Get-SrGuestFact).pendingReboot.reasons).Count | Should -Be 0
    }
}

Describe 'Who asked for snapready''s pending reboot (pendingReboot.requestedBy)' {
    It 'accumulates agent and driver within a boot, and clears with the boot' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'requesters.json') -Fault InstallerRequiresReboot, DriverRequiresReboot
        Enable-SrLab -StatePath $lab.statePath
        @((Get-SrGuestFact).pendingReboot.requestedBy).Count | Should -Be 0
        $null = Add-SrTrustedPublisher -Thumbprint $lab.signerThumbprint -CertificatePath $lab.catPath
        (Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion).rebootRequired | Should -BeTrue
        (Get-SrGuestFact).pendingReboot.requestedBy | Should -Be @('agent')
        (Install-SrVioSerialDriver -InfPath $lab.infPath).rebootRequired | Should -BeTrue
        (Get-SrGuestFact).pendingReboot.requestedBy | Should -Be @('agent', 'driver')
        $null = Request-SrReboot
        $after = Get-SrGuestFact
        @($after.pendingReboot.requestedBy).Count | Should -Be 0
        $after.vioSerial.bound | Should -BeTrue
    }
    It 'reports no requesters for a request recorded before they were (unknown)' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'legacy.json')
        Enable-SrLab -StatePath $lab.statePath
        $boot = (Get-SrGuestFact).os.lastBootUpTime
        & (Get-Module SnapReady.Guest) { param($b) Set-SrPlatformRegistryValue -Path $script:SrConst.MarkerKey -Name 'RebootRequestedBootTime' -Value $b -Type String } $boot
        $f = Get-SrGuestFact
        $f.pendingReboot.reasons | Should -Be @('SNAPREADY_REQUESTED')
        @($f.pendingReboot.requestedBy).Count | Should -Be 0
        # a later request in the same boot names only what is known
        $null = Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion
        @((Get-SrGuestFact).pendingReboot.requestedBy).Count | Should -Be 0
        & (Get-Module SnapReady.Guest) { Set-SrRebootRequested -Reason 'test' -RequestedBy driver }
        (Get-SrGuestFact).pendingReboot.requestedBy | Should -Be @('driver')
    }
}
