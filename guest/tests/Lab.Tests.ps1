# End-to-end scenarios against simulated guests (SnapReady.Lab): the real
# primitives run unmocked over one JSON state file per guest.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
    $script:Stage = 'C:\ProgramData\snapready\installers'
    # The whole desired state, applied in the order the host-side runner uses.
    $script:Converge = {
        param($Lab, [int] $Generation = 1)
        $results = [ordered]@{}
        $staged = Save-SrInstaller -Source $Lab.url -Sha256 $Lab.msiSha256 -DestinationDirectory $Stage
        $results['Save-SrInstaller'] = $staged
        $results['Add-SrTrustedPublisher'] = Add-SrTrustedPublisher -Thumbprint $Lab.signerThumbprint -CertificatePath $Lab.catPath
        $results['Install-SrVioSerialDriver'] = Install-SrVioSerialDriver -InfPath $Lab.infPath
        $results['Repair-SrVssProvider'] = Repair-SrVssProvider
        $results['Install-SrAgent'] = Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $Lab.agentVersion -LogPath 'C:\Windows\Temp\snapready-qga.log'
        $results['Set-SrAgentService'] = Set-SrAgentService
        $results['Set-SrVssOption'] = Set-SrVssOption -Value 5
        $results['Disable-SrAgentLogging'] = Disable-SrAgentLogging
        $results['Set-SrMarker'] = Set-SrMarker -DesiredStateHash 'sha256:lab-desired' -DriftGeneration $Generation
        $results
    }
}
AfterAll {
    Disable-SrLab
}

Describe 'Lab: a bare guest' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'bare.json') -Fault DriverRequiresReboot
        Enable-SrLab -StatePath $lab.statePath
        $script:before = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $script:first = & $Converge $lab
        $script:afterFirst = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $script:reboot = Request-SrReboot -Reason 'driver 3010'
        $script:afterReboot = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $script:second = & $Converge $lab
        $script:final = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
    }
    It 'starts bare: no agent, device present but unbound' {
        $before.agent.installed | Should -BeFalse
        $before.agentService.exists | Should -BeFalse
        $before.vioSerial.present | Should -BeTrue
        $before.vioSerial.bound | Should -BeFalse
        $before.publisher.trusted | Should -BeFalse
    }
    It 'changes every primitive on the first pass' {
        foreach ($name in @('Save-SrInstaller', 'Add-SrTrustedPublisher', 'Install-SrVioSerialDriver', 'Install-SrAgent', 'Set-SrVssOption', 'Set-SrMarker'))
        {
            $first[$name].changed | Should -BeTrue -Because $name
        }
        $first['Install-SrVioSerialDriver'].rebootRequired | Should -BeTrue
        $afterFirst.pendingReboot.reasons | Should -Contain 'SNAPREADY_REQUESTED'
    }
    It 'ran msiexec with the documented silent arguments' {
        $state = Get-SrLabState -StatePath $lab.statePath
        $msi = @($state.processLog | Where-Object { $_.filePath -like '*msiexec.exe' })[0]
        $msi.argumentList | Should -Be @('/i', 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi', '/qn', '/norestart', '/L*V', 'C:\Windows\Temp\snapready-qga.log')
    }
    It 'has no pending reboot after the lab reboot and the driver is bound' {
        $reboot.changed | Should -BeTrue
        $afterReboot.pendingReboot.pending | Should -BeFalse
        $afterReboot.vioSerial.bound | Should -BeTrue
        $afterReboot.agentService.status | Should -Be 'Running'
        $afterReboot.vssProvider.status | Should -Be 'Stopped'
    }
    It 'reaches the desired state' {
        $final.agent.installed | Should -BeTrue
        $final.agent.version | Should -Be $lab.agentVersion
        $final.agent.bitness | Should -Be 64
        $final.agent.installFolder | Should -Be 'C:\Program Files\Qemu-ga'
        $final.agentService.name | Should -Be 'QEMU-GA'
        $final.agentService.status | Should -Be 'Running'
        $final.agentService.startType | Should -Be 'Automatic'
        $final.agentService.imagePath | Should -BeExactly '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'
        $final.vssProvider.serviceExists | Should -BeTrue
        $final.vssProvider.startType | Should -Be 'Manual'
        $final.vssProvider.status | Should -Be 'Stopped'
        $final.vssProvider.comPlusRegistered | Should -BeTrue
        $final.vssProvider.inprocServer32 | Should -Be 'C:\Program Files\Qemu-ga\qga-vss.dll'
        $final.vssProvider.inprocServerExists | Should -BeTrue
        $final.vssProvider.vssOption | Should -Be 5
        $final.vioSerial.bound | Should -BeTrue
        $final.vioSerial.devices[0].driverProvider | Should -Be 'Red Hat, Inc.'
        $final.logging.enabled | Should -BeFalse
        $final.pendingReboot.pending | Should -BeFalse
        $final.publisher.trusted | Should -BeTrue
        $final.marker.desiredStateHash | Should -Be 'sha256:lab-desired'
        $final.marker.driftGeneration | Should -Be 1
    }
    It 'reports changed = $false from EVERY primitive on the second pass' {
        foreach ($name in $second.Keys)
        {
            $second[$name].changed | Should -BeFalse -Because $name
            $second[$name].rebootRequired | Should -BeFalse -Because $name
        }
    }
    It 'keeps a valid facts document' {
        $schema = Join-Path $PSScriptRoot '..' '..' 'docs' 'facts.schema.json'
        Test-Json -Json ($final | ConvertTo-Json -Depth 10) -SchemaFile $schema | Should -BeTrue
    }
}

Describe 'Lab: on PowerShell 7.2-7.4 (ConvertFrom-Json without -DateKind)' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'olderpwsh.json') -Fault DriverRequiresReboot
        $script:fast = ConvertTo-Json -Depth 30 -InputObject (Get-SrLabState -StatePath $lab.statePath)
        & (Get-Module SnapReady.Lab) { $script:SrLabJsonDateKind = $false }
        $script:slow = ConvertTo-Json -Depth 30 -InputObject (Get-SrLabState -StatePath $lab.statePath)
        Enable-SrLab -StatePath $lab.statePath
        $script:before = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $null = & $Converge $lab
        $null = Request-SrReboot -Reason 'driver 3010'
        $null = & $Converge $lab
        $script:after = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $script:state = Get-SrLabState -StatePath $lab.statePath
    }
    AfterAll {
        & (Get-Module SnapReady.Lab) { $script:SrLabJsonDateKind = (Get-Command -Name 'ConvertFrom-Json').Parameters.ContainsKey('DateKind') }
    }
    It 'reads a state file exactly as ConvertFrom-Json -AsHashtable -DateKind String does' {
        $slow | Should -BeExactly $fast
    }
    It 'keeps dates strings through a whole converge and a reboot' {
        $state.os.lastBootUpTime | Should -BeOfType [string]
        $after.os.lastBootUpTime | Should -Not -Be $before.os.lastBootUpTime
        $after.agent.version | Should -Be $lab.agentVersion
        $after.vioSerial.bound | Should -BeTrue
        $after.pendingReboot.pending | Should -BeFalse
        $after.publisher.notAfter | Should -BeOfType [string]
    }
}

Describe 'Lab: a Server 2012 R2 guest (build 9600)' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'w2012r2.json')
        Set-SrLabOption -StatePath $lab.statePath -OsVersion '6.3.9600'
        Enable-SrLab -StatePath $lab.statePath
        $null = Add-SrTrustedPublisher -Thumbprint $lab.signerThumbprint -CertificatePath $lab.catPath
        $script:result = Install-SrVioSerialDriver -InfPath $lab.infPath
        $script:state = Get-SrLabState -StatePath $lab.statePath
    }
    It 'binds the driver with the legacy pnputil -i -a, which that pnputil understands' {
        $result.changed | Should -BeTrue
        (Get-SrGuestFact).vioSerial.bound | Should -BeTrue
        @($state.processLog)[-1].argumentList | Should -Be @('-i', '-a', $lab.infPath)
    }
}

Describe 'Lab: bootId (volatile registry key)' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'bootid.json')
        Enable-SrLab -StatePath $lab.statePath
        $script:stateBefore = Get-Content -LiteralPath $lab.statePath -Raw
        $script:one = (Get-SrGuestFact).os.bootId
        $script:stateAfterFacts = Get-Content -LiteralPath $lab.statePath -Raw
        $null = Request-SrReboot -Reason 'bootId'
        $script:attemptId = (Get-SrLabState -StatePath $lab.statePath).registry['hklm:\software\snapready'].values['rebootattemptbootid'].data
        $script:afterBoot = (Get-SrGuestFact).os.bootId
        $null = Register-SrRebootOutcome
        $script:key = (Get-SrLabState -StatePath $lab.statePath).registry['hklm:\software\snapready\boot']
        $script:two = (Get-SrGuestFact).os.bootId
        $script:three = (Get-SrGuestFact).os.bootId
    }
    It 'is only read by the facts: a guest without the key gets none, and the facts change nothing' {
        $one | Should -BeNullOrEmpty
        $stateAfterFacts | Should -BeExactly $stateBefore
        (ConvertFrom-Json -InputObject $stateAfterFacts).registry.PSObject.Properties.Name | Should -Not -Contain 'hklm:\software\snapready\boot'
    }
    It 'is created by Request-SrReboot before the reboot, recorded with the attempt, and gone after the boot' {
        $attemptId | Should -Match '^[0-9a-f]{8}-'
        $afterBoot | Should -BeNullOrEmpty
    }
    It 'is new in the next boot once a write path creates it, and stays the same within that boot' {
        $two | Should -Not -BeNullOrEmpty
        $two | Should -Not -Be $attemptId
        $three | Should -Be $two
    }
    It 'lives in a volatile key, which the lab removes at boot like Windows' {
        $key.volatile | Should -BeTrue
        $key.values['bootid'].data | Should -Be $two
    }
}

Describe 'Lab: drift' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'drift.json')
        Enable-SrLab -StatePath $lab.statePath
        $null = & $Converge $lab
        Invoke-SrLabDrift -StatePath $lab.statePath -StopAgentService -AddImagePathLogging -ConfLogging -VssOption 1
        $script:drifted = Get-SrGuestFact
        $script:fix = & $Converge $lab 2
        $script:fixed = Get-SrGuestFact
        $script:state = Get-SrLabState -StatePath $lab.statePath
    }
    It 'sees the drift' {
        $drifted.agentService.status | Should -Be 'Stopped'
        $drifted.logging.imagePathLogfile | Should -Be 'C:\qga.log'
        $drifted.logging.imagePathVerbose | Should -BeTrue
        $drifted.logging.confLogfile | Should -Be 'C:\qga-conf.log'
        $drifted.logging.enabled | Should -BeTrue
        $drifted.vssProvider.vssOption | Should -Be 1
    }
    It 'clears -l C:\qga.log -v from the ImagePath, keeps the rest, and fixes the conf' {
        $fix['Disable-SrAgentLogging'].changed | Should -BeTrue
        $fixed.agentService.imagePath | Should -BeExactly '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'
        $fixed.logging.enabled | Should -BeFalse
        $state.files['c:\program files\qemu-ga\qemu-ga.conf'].content | Should -Be "# lab drift`n[general]`nretry-path=true"
    }
    It 'restarts the service and re-applies VssOption' {
        $fix['Set-SrAgentService'].changed | Should -BeTrue
        $fixed.agentService.status | Should -Be 'Running'
        $fix['Set-SrVssOption'].changed | Should -BeTrue
        $fixed.vssProvider.vssOption | Should -Be 5
        $fixed.marker.driftGeneration | Should -Be 2
        $fix['Install-SrAgent'].changed | Should -BeFalse
    }
}

Describe 'Lab: the agent service was deleted' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'nosvc.json')
        Enable-SrLab -StatePath $lab.statePath
        $null = & $Converge $lab
        Invoke-SrLabDrift -StatePath $lab.statePath -RemoveAgentService
        $script:before = Get-SrGuestFact
    }
    It 'sees the installed agent without its service' {
        $before.agent.installed | Should -BeTrue
        $before.agentService.exists | Should -BeFalse
    }
    It 'a reinstall of the same version is a no-op that leaves the service missing' {
        $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory $Stage
        (Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion).changed | Should -BeFalse
        (Get-SrGuestFact).agentService.exists | Should -BeFalse
    }
    It 'Repair-SrAgent (msiexec /fa) recreates the service, Automatic and Running, and keeps VssOption' {
        $r = Repair-SrAgent
        $r.changed | Should -BeTrue
        $facts = Get-SrGuestFact
        $facts.agentService.exists | Should -BeTrue
        $facts.agentService.startType | Should -Be 'Automatic'
        $facts.agentService.status | Should -Be 'Running'
        $facts.agentService.imagePath | Should -BeExactly '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'
        $facts.vssProvider.vssOption | Should -Be 5
        $state = Get-SrLabState -StatePath $lab.statePath
        @($state.processLog)[-1].argumentList[0] | Should -Be '/fa'
        (Repair-SrAgent).changed | Should -BeFalse
    }
}

Describe 'Lab: upgrade over a stale VSS registration' {
    BeforeAll {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'stale.json') -Fault StaleVssRegistration
        Enable-SrLab -StatePath $lab.statePath
        $script:before = Get-SrGuestFact
        $script:staged = Save-SrInstaller -Source $lab.uncPath -Sha256 $lab.msiSha256 -DestinationDirectory $Stage
    }
    It 'shows the old agent and a stale registration' {
        $before.agent.version | Should -Be '100.0.0'
        $before.vssProvider.comPlusRegistered | Should -BeTrue
        $before.vssProvider.inprocServer32 | Should -Be 'C:\Program Files\Qemu-ga\old\qga-vss.dll'
        $before.vssProvider.inprocServerExists | Should -BeFalse
    }
    It 'fails the upgrade with 1603 when not repaired first (and rolls back)' {
        { Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion } | Should -Throw -ExpectedMessage '*1603*'
        (Get-SrGuestFact).agent.version | Should -Be '100.0.0'
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.files['c:\windows\temp\snapready-qemu-ga-install.log'].content | Should -BeLike '*80004004*'
    }
    It 'repairs, then upgrades, and resets VssOption to 1 as the real MSI does' {
        $repair = Repair-SrVssProvider
        $repair.changed | Should -BeTrue
        $repair.actions | Should -Be @('vss-uninstall exit 0', 'vss-install exit 0')
        (Get-SrGuestFact).vssProvider.inprocServerExists | Should -BeTrue
        $install = Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion
        $install.changed | Should -BeTrue
        $install.previousVersion | Should -Be '100.0.0'
        $facts = Get-SrGuestFact
        $facts.agent.version | Should -Be $lab.agentVersion
        $facts.vssProvider.inprocServer32 | Should -Be 'C:\Program Files\Qemu-ga\qga-vss.dll'
        $facts.vssProvider.vssOption | Should -Be 1
        (Repair-SrVssProvider).changed | Should -BeFalse
    }
}

Describe 'Lab: VSS repair of what vss-uninstall leaves, and without the agent' {
    BeforeAll {
        $script:ProviderKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}'
        $script:Edit = {
            param([string] $StatePath, [scriptblock] $Change)
            & (Get-Module SnapReady.Lab) { param($p, $c) $s = Read-SrLabState -Path $p; & $c $s; Write-SrLabState -Path $p -State $s } $StatePath $Change
        }
    }
    It 'a stale VSS Providers key alone (no COM+ application, no CLSID) makes the MSI fail; Repair-SrVssProvider removes it and registers' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'providerkey.json')
        Enable-SrLab -StatePath $lab.statePath
        $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory $Stage
        & $Edit $lab.statePath { param($s) & (Get-Module SnapReady.Lab) { param($x, $k) Set-SrLabRegistryValue -State $x -Path $k -Name '(default)' -Data 'QEMU Guest Agent VSS Provider' } $s $ProviderKey }
        { Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion } | Should -Throw -ExpectedMessage '*1603*'
        $repairWithoutAgent = Repair-SrVssProvider
        $repairWithoutAgent.changed | Should -BeTrue
        $repairWithoutAgent.actions | Should -Be @('removed the VSS Providers key')
        (Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion).changed | Should -BeTrue
        $facts = Get-SrGuestFact
        $facts.vssProvider.comPlusRegistered | Should -BeTrue
        $facts.vssProvider.inprocServerExists | Should -BeTrue
        (Repair-SrVssProvider).changed | Should -BeFalse
    }
    It 'with the agent installed and only the Providers key left behind, unregisters, removes the key and registers again' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'providerkey2.json')
        Enable-SrLab -StatePath $lab.statePath
        $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory $Stage
        $null = Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion
        # The COM+ application and the CLSID are gone, the Providers key is not.
        & $Edit $lab.statePath { param($s) $s.comPlus = @(); & (Get-Module SnapReady.Lab) { param($x) Remove-SrLabRegistryKey -State $x -Path 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}' } $s }
        $r = Repair-SrVssProvider
        $r.actions | Should -Be @('vss-uninstall exit 0', 'removed the VSS Providers key', 'vss-install exit 0')
        (Get-SrGuestFact).vssProvider.comPlusRegistered | Should -BeTrue
    }
    It 'a stale registration with the agent gone (no qemu-ga.exe, no dll) is cleared, and the MSI installs again' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'noagent.json') -Fault StaleVssRegistration
        Enable-SrLab -StatePath $lab.statePath
        # The old agent's files are gone.
        & $Edit $lab.statePath { param($s) foreach ($k in @($s.files.Keys)) { if ($k -like 'c:\program files\qemu-ga\*') { $s.files.Remove($k) } } }
        $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory $Stage
        $r = Repair-SrVssProvider
        $r.changed | Should -BeTrue
        $r.actions | Should -Contain 'removed the COM+ application'
        $r.actions | Should -Contain 'removed the CLSID key'
        (Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion).changed | Should -BeTrue
        (Get-SrGuestFact).vssProvider.inprocServer32 | Should -Be 'C:\Program Files\Qemu-ga\qga-vss.dll'
    }
}

Describe 'Lab: faults' {
    It 'InstallerFails1603 throws a non-retryable error' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'f1603.json') -Fault InstallerFails1603
        Enable-SrLab -StatePath $lab.statePath
        $err = $null
        try { Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion } catch { $err = $_ }
        $err.Exception.Message | Should -BeLike '*1603*'
        $err.TargetObject.retryable | Should -BeFalse
        (Get-SrGuestFact).agent.installed | Should -BeFalse
    }
    It 'InstallerBusy1618 is retryable and succeeds once the other install is done' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'f1618.json') -Fault InstallerBusy1618
        Enable-SrLab -StatePath $lab.statePath
        $out = Invoke-SrGuestCommand -RequestBase64 ([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((@{ command = 'Install-SrAgent'; parameters = @{ InstallerPath = $lab.msiPath; Kind = 'msi'; Version = $lab.agentVersion } } | ConvertTo-Json -Compress)))) | ConvertFrom-Json
        $out.ok | Should -BeFalse
        $out.error.retryable | Should -BeTrue
        Set-SrLabFault -StatePath $lab.statePath -Fault InstallerBusy1618 -Remove
        (Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion).changed | Should -BeTrue
    }
    It 'InstallerRequiresReboot maps 3010 to rebootRequired and a pending reboot' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'f3010.json') -Fault InstallerRequiresReboot
        Enable-SrLab -StatePath $lab.statePath
        $r = Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion
        $r.rebootRequired | Should -BeTrue
        $r.exitCode | Should -Be 3010
        (Get-SrGuestFact).pendingReboot.reasons | Should -Be @('PENDING_FILE_RENAME', 'SNAPREADY_REQUESTED')
        $null = Request-SrReboot
        (Get-SrGuestFact).pendingReboot.pending | Should -BeFalse
    }
    It 'AgentServiceStartFails: the service stays Stopped and Set-SrAgentService fails clearly' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'fsvc.json') -Fault AgentServiceStartFails
        Enable-SrLab -StatePath $lab.statePath
        $null = Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion
        (Get-SrGuestFact).agentService.status | Should -Be 'Stopped'
        { Set-SrAgentService } | Should -Throw -ExpectedMessage "*could not be started*"
    }
    It 'RebootNeverReturns: later calls fail as unreachable' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'fdown.json') -Fault RebootNeverReturns
        Enable-SrLab -StatePath $lab.statePath
        (Request-SrReboot).changed | Should -BeTrue
        { Get-SrGuestFact } | Should -Throw -ExpectedMessage '*unreachable*'
        (Get-SrLabState -StatePath $lab.statePath).status | Should -Be 'down'
        $out = Invoke-SrGuestCommand -RequestBase64 ([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"command":"Get-SrGuestFact","parameters":{}}'))) | ConvertFrom-Json
        $out.ok | Should -BeFalse
        $out.error.message | Should -BeLike '*unreachable*'
    }
    It 'PublisherCertificateExpired: trusting the signer is refused and pnputil cannot install silently' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'fcert.json') -Fault PublisherCertificateExpired
        Enable-SrLab -StatePath $lab.statePath
        { Add-SrTrustedPublisher -Thumbprint $lab.signerThumbprint -CertificatePath $lab.cerPath } | Should -Throw -ExpectedMessage '*expired*'
        { Install-SrVioSerialDriver -InfPath $lab.infPath } | Should -Throw -ExpectedMessage '*verify the publisher*'
        (Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint).publisher.trusted | Should -BeFalse
    }
    It 'NoVirtioSerialDevice: the driver primitive names the hypervisor problem' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'fdev.json') -Fault NoVirtioSerialDevice
        Enable-SrLab -StatePath $lab.statePath
        (Get-SrGuestFact).vioSerial.present | Should -BeFalse
        { Install-SrVioSerialDriver -InfPath $lab.infPath } | Should -Throw -ExpectedMessage '*hypervisor exposes no virtio-serial*'
    }
    It 'Wow64Agent: facts show bitness 32, the i386 MSI is refused, the x64 MSI replaces it' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'fwow.json') -Fault Wow64Agent
        Enable-SrLab -StatePath $lab.statePath
        $f = Get-SrGuestFact
        $f.agent.bitness | Should -Be 32
        $f.agent.installFolder | Should -Be 'C:\Program Files (x86)\Qemu-ga'
        { Install-SrAgent -InstallerPath $lab.msi32Path -Kind msi -Version $lab.agentVersion } | Should -Throw -ExpectedMessage '*WOW64*'
        (Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion).changed | Should -BeTrue
        (Get-SrGuestFact).agent.bitness | Should -Be 64
    }
    It 'a tampered download is deleted and reported' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'ftamper.json')
        Enable-SrLab -StatePath $lab.statePath
        { Save-SrInstaller -Source $lab.tamperedUrl -Sha256 $lab.msiSha256 -DestinationDirectory $Stage } | Should -Throw -ExpectedMessage "*expected $($lab.msiSha256), actual*"
        (Get-SrLabState -StatePath $lab.statePath).files.Contains('c:\programdata\snapready\installers\qemu-ga-x86_64.msi') | Should -BeFalse
    }
    It 'the guest-tools bundle installs agent and driver' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'fgt.json')
        Enable-SrLab -StatePath $lab.statePath
        (Install-SrAgent -InstallerPath $lab.guestToolsPath -Kind guest-tools -Version $lab.agentVersion).changed | Should -BeTrue
        $f = Get-SrGuestFact
        $f.agent.version | Should -Be $lab.agentVersion
        $f.vioSerial.bound | Should -BeTrue
    }
}
