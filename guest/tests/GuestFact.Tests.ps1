# Get-SrGuestFact, the parsers behind it, and Invoke-SrGuestCommand, with the
# platform layer mocked.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    . $PSScriptRoot/Support/DefaultMocks.ps1
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
}

Describe 'Get-SrGuestFact' {
    BeforeEach { . $PSScriptRoot/Support/MockState.ps1 }
    It 'returns the documented top-level keys and serialises to JSON' {
        $facts = Get-SrGuestFact
        $facts.PSObject.Properties.Name | Should -Be @('schemaVersion', 'collectedAt', 'os', 'agent', 'agentService', 'vssProvider', 'vioSerial', 'logging', 'pendingReboot', 'publisher', 'marker', 'disk', 'vssWriters')
        $facts.schemaVersion | Should -Be 1
        $json = $facts | ConvertTo-Json -Depth 10 | ConvertFrom-Json
        $json.vioSerial.devices.Count | Should -Be 1
        $json.pendingReboot.reasons.GetType().IsArray | Should -BeTrue
    }
    It 'describes a healthy guest' {
        $f = Get-SrGuestFact
        $f.os.architecture | Should -Be 'x64'
        $f.agent.installed | Should -BeTrue
        $f.agent.version | Should -Be '108.0.2'
        $f.agent.bitness | Should -Be 64
        $f.agent.installFolder | Should -Be 'C:\Program Files\Qemu-ga'
        $f.agent.productCode | Should -Be '{11111111-2222-3333-4444-555555555555}'
        $f.agentService.name | Should -Be 'QEMU-GA'
        $f.agentService.startType | Should -Be 'Automatic'
        $f.vssProvider.startType | Should -Be 'Manual'
        $f.vssProvider.status | Should -Be 'Stopped'
        $f.vssProvider.comPlusRegistered | Should -BeTrue
        $f.vssProvider.inprocServerExists | Should -BeTrue
        $f.vssProvider.vssOption | Should -Be 1
        $f.vioSerial.bound | Should -BeTrue
        $f.logging.enabled | Should -BeFalse
        $f.pendingReboot.pending | Should -BeFalse
        $f.publisher.thumbprint | Should -BeNullOrEmpty
        $f.marker.driftGeneration | Should -BeNullOrEmpty
        $f.disk.systemDriveFreeBytes | Should -Be 1073741824
        { [datetime]::Parse($f.collectedAt) } | Should -Not -Throw
    }
    It 'reports the COM+ registration as unknown (null, with a reason) when the COM+ catalog cannot be read, and keeps every other fact' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformComPlusApplication {
            throw (& (Get-Module SnapReady.Guest) { New-SrErrorRecord -ErrorId 'SrComPlusCatalogUnavailable' -Category ResourceUnavailable -Property @{ hresult = '0x8007042C' } -Message 'The COM+ catalog cannot be read (HRESULT 0x8007042C): whether a COM+ application is registered is unknown.' })
        }
        $f = Get-SrGuestFact
        $f.vssProvider.comPlusRegistered | Should -BeNullOrEmpty
        $f.vssProvider.comPlusUnknownReason | Should -BeLike '*0x8007042C*'
        $f.vssProvider.inprocServer32 | Should -Be 'C:\Program Files\Qemu-ga\qga-vss.dll'
        $f.agent.installed | Should -BeTrue
        $f.vioSerial.bound | Should -BeTrue
        $schema = Join-Path $PSScriptRoot '..' '..' 'docs' 'facts.schema.json'
        Test-Json -Json ($f | ConvertTo-Json -Depth 10) -SchemaFile $schema | Should -BeTrue
        ($f | ConvertTo-Json -Depth 10 -Compress) | Should -Match '"comPlusRegistered":null'
        (Get-SrGuestFact).vssProvider.comPlusUnknownReason | Should -Not -BeNullOrEmpty
    }
    It 'still fails when another platform error stops the COM+ lookup (for example an unreachable lab guest)' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformComPlusApplication { throw 'boom' }
        { Get-SrGuestFact } | Should -Throw -ExpectedMessage 'boom'
    }
    It 'reports comPlusUnknownReason null when the catalog is readable' {
        $f = Get-SrGuestFact
        $f.vssProvider.PSObject.Properties.Name | Should -Contain 'comPlusUnknownReason'
        $f.vssProvider.comPlusUnknownReason | Should -BeNullOrEmpty
        $f.vssProvider.comPlusRegistered | Should -BeTrue
    }
    It 'reports VSS writers by lower-case ids, state number and name, and HRESULT number, sorted by id' {
        $script:M.VssWriters = @(
            [pscustomobject]@{ name = 'SqlServerWriter'; writerId = '{A65FAA63-5EA8-4EBC-9DBD-A0C4DB26912A}'; instanceId = '{00000000-0000-0000-0000-0000000000B2}'; state = 8; lastError = 2147754994 }
            [pscustomobject]@{ name = 'System Writer'; writerId = '{E8132975-6F93-4464-A53E-1050253AE220}'; instanceId = '{00000000-0000-0000-0000-0000000000A1}'; state = 1; lastError = 0 }
            [pscustomobject]@{ name = 'Odd Writer'; writerId = '{11111111-1111-1111-1111-111111111111}'; instanceId = '{00000000-0000-0000-0000-0000000000C3}'; state = 99; lastError = 0 }
        )
        $f = Get-SrGuestFact
        $f.vssWriters.unknownReason | Should -BeNullOrEmpty
        $f.vssWriters.writers.writerId | Should -Be @('{11111111-1111-1111-1111-111111111111}', '{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}', '{e8132975-6f93-4464-a53e-1050253ae220}')
        $f.vssWriters.writers.stateName | Should -Be @('UNKNOWN', 'FAILED_AT_PREPARE_SNAPSHOT', 'STABLE')
        $f.vssWriters.writers.state | Should -Be @(0, 8, 1)
        $f.vssWriters.writers[1].instanceId | Should -Be '{00000000-0000-0000-0000-0000000000b2}'
        $f.vssWriters.writers[1].lastError | Should -Be 2147754994
        $schema = Join-Path $PSScriptRoot '..' '..' 'docs' 'facts.schema.json'
        Test-Json -Json ($f | ConvertTo-Json -Depth 10) -SchemaFile $schema | Should -BeTrue
    }
    It 'reports the VSS writers as unknown (null, with the HRESULT) when the VSS API fails, and keeps every other fact' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformVssWriter { throw (New-Object -TypeName System.Runtime.InteropServices.COMException -ArgumentList 'GatherWriterStatus failed', ([int]0x80042302)) }
        $f = Get-SrGuestFact
        $f.vssWriters.writers | Should -BeNullOrEmpty
        $f.vssWriters.unknownReason | Should -BeLike '0x80042302:*'
        $f.agent.installed | Should -BeTrue
        $schema = Join-Path $PSScriptRoot '..' '..' 'docs' 'facts.schema.json'
        ($f | ConvertTo-Json -Depth 10 -Compress) | Should -Match '"writers":null'
        Test-Json -Json ($f | ConvertTo-Json -Depth 10) -SchemaFile $schema | Should -BeTrue
    }
    It 'still fails when the guest is unreachable while the VSS writers are read' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformVssWriter { throw (& (Get-Module SnapReady.Guest) { New-SrErrorRecord -ErrorId 'SrGuestUnreachable' -Category ConnectionError -Message 'lab guest is unreachable' }) }
        { Get-SrGuestFact } | Should -Throw -ExpectedMessage '*unreachable*'
    }
    It 'only reads the bootId: null and nothing written when no write path created it in this boot' {
        $f = Get-SrGuestFact
        $f.os.PSObject.Properties.Name | Should -Contain 'bootId'
        $f.os.bootId | Should -BeNullOrEmpty
        Should -Invoke -ModuleName SnapReady.Guest New-SrPlatformVolatileRegistryKey -Times 0 -Exactly
        Should -Invoke -ModuleName SnapReady.Guest Set-SrPlatformRegistryValue -Times 0 -Exactly
        ($f | ConvertTo-Json -Depth 10 -Compress) | Should -Match '"bootId":null'
        $schema = Join-Path $PSScriptRoot '..' '..' 'docs' 'facts.schema.json'
        Test-Json -Json ($f | ConvertTo-Json -Depth 10) -SchemaFile $schema | Should -BeTrue
    }
    It 'reports the bootId a write path created (Get-SrBootId -Create), the same for the whole boot' {
        $id = & (Get-Module SnapReady.Guest) { Get-SrBootId -Create }
        $id | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        Should -Invoke -ModuleName SnapReady.Guest New-SrPlatformVolatileRegistryKey -Times 1 -Exactly -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\snapready\Boot' }
        (Get-SrGuestFact).os.bootId | Should -Be $id
        (& (Get-Module SnapReady.Guest) { Get-SrBootId -Create }) | Should -Be $id
        Should -Invoke -ModuleName SnapReady.Guest New-SrPlatformVolatileRegistryKey -Times 1 -Exactly
        # a reboot removes the volatile key, and with it the id
        $script:M.Registry.Remove('hklm:\software\snapready\boot|bootid')
        (Get-SrGuestFact).os.bootId | Should -BeNullOrEmpty
    }
    It 'reports bootId null, and every other fact, when the boot key cannot be read (a read-only credential)' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformRegistryValue -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\snapready\Boot' } {
            throw (New-Object -TypeName System.Security.SecurityException -ArgumentList 'Requested registry access is not allowed.')
        }
        $f = Get-SrGuestFact
        $f.os.bootId | Should -BeNullOrEmpty
        $f.agent.installed | Should -BeTrue
        Mock -ModuleName SnapReady.Guest Get-SrPlatformRegistryValue -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\snapready\Boot' } {
            throw (New-Object -TypeName System.UnauthorizedAccessException -ArgumentList 'Access to the registry key is denied.')
        }
        (Get-SrGuestFact).os.bootId | Should -BeNullOrEmpty
    }
    It 'still fails on another error while reading the boot id' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformRegistryValue -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\snapready\Boot' } {
            throw (& (Get-Module SnapReady.Guest) { New-SrErrorRecord -ErrorId 'SrGuestUnreachable' -Category ConnectionError -Message 'lab guest is unreachable' })
        }
        { Get-SrGuestFact } | Should -Throw -ExpectedMessage '*unreachable*'
    }
    It 'matches the agent by UpgradeCode when the DisplayName differs' {
        $script:M.Products[0].displayName = 'QEMU Guest Agent (vendor build)'
        (Get-SrGuestFact).agent.installed | Should -BeTrue
        $script:M.Related = @()
        (Get-SrGuestFact).agent.installed | Should -BeFalse
    }
    It 'reports bitness 32 for a WOW6432Node entry on 64-bit Windows' {
        $script:M.Products[0].wow6432Node = $true
        (Get-SrGuestFact).agent.bitness | Should -Be 32
    }
    It 'reports a stale VSS registration' {
        $script:M.Registry['hklm:\software\classes\clsid\{6e6a3492-8d4d-440c-9619-5e5d0cc31ca8}\inprocserver32|(default)'] = 'C:\old\qga-vss.dll'
        $f = Get-SrGuestFact
        $f.vssProvider.inprocServer32 | Should -Be 'C:\old\qga-vss.dll'
        $f.vssProvider.inprocServerExists | Should -BeFalse
    }
    It 'reports logging from the ImagePath and the conf file' {
        $script:M.Registry['hklm:\system\currentcontrolset\services\qemu-ga|imagepath'] = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --logfile=C:\x.log --verbose'
        $script:M.Content['d:\qga.conf'] = @('[general]', 'logfile = C:\conf.log', 'verbose=false')
        $f = Get-SrGuestFact -ConfPath 'D:\qga.conf'
        $f.logging.imagePathLogfile | Should -Be 'C:\x.log'
        $f.logging.imagePathVerbose | Should -BeTrue
        $f.logging.confExists | Should -BeTrue
        $f.logging.confLogfile | Should -Be 'C:\conf.log'
        $f.logging.confVerbose | Should -BeFalse
        $f.logging.enabled | Should -BeTrue
    }
    It 'lists pending reboot reasons in a stable order' {
        $script:M.Keys += 'hklm:\software\microsoft\windows\currentversion\component based servicing\rebootpending'
        $script:M.Keys += 'hklm:\software\microsoft\windows\currentversion\windowsupdate\auto update\rebootrequired'
        $script:M.Registry['hklm:\system\currentcontrolset\control\session manager|pendingfilerenameoperations'] = @('\??\C:\x', '')
        $script:M.Registry['hklm:\software\snapready|rebootrequestedboottime'] = $script:M.Os.lastBootUpTime
        $f = Get-SrGuestFact
        $f.pendingReboot.pending | Should -BeTrue
        $f.pendingReboot.reasons | Should -Be @('CBS_REBOOT_PENDING', 'WU_REBOOT_REQUIRED', 'PENDING_FILE_RENAME', 'SNAPREADY_REQUESTED')
    }
    It 'forgets a snapready reboot request after a reboot' {
        $script:M.Registry['hklm:\software\snapready|rebootrequestedboottime'] = '2024-01-01T00:00:00.0000000Z'
        (Get-SrGuestFact).pendingReboot.pending | Should -BeFalse
    }
    It 'reports the pinned publisher certificate and its expiry' {
        $tp = 'AB' * 20
        $f = Get-SrGuestFact -PinnedThumbprint $tp
        $f.publisher.thumbprint | Should -Be $tp
        $f.publisher.trusted | Should -BeFalse
        $script:M.Store[$tp] = [pscustomobject]@{ thumbprint = $tp; subject = 'CN=x'; notAfter = '2020-01-01T00:00:00.0000000Z'; notBefore = '2019-01-01T00:00:00Z' }
        $f = Get-SrGuestFact -PinnedThumbprint $tp
        $f.publisher.trusted | Should -BeTrue
        $f.publisher.expired | Should -BeTrue
        $f.publisher.notAfter | Should -Be '2020-01-01T00:00:00.0000000Z'
    }
    It 'reports the marker' {
        $script:M.Registry['hklm:\software\snapready|desiredstatehash'] = 'sha256:1'
        $script:M.Registry['hklm:\software\snapready|driftgeneration'] = 7
        $script:M.Registry['hklm:\software\snapready|appliedat'] = '2025-02-02T00:00:00.0000000Z'
        $f = Get-SrGuestFact
        $f.marker.desiredStateHash | Should -Be 'sha256:1'
        $f.marker.driftGeneration | Should -Be 7
        $f.marker.appliedAt | Should -Be '2025-02-02T00:00:00.0000000Z'
    }
    It 'reports an absent agent, service, provider and device' {
        $script:M.Products = @(); $script:M.Related = @(); $script:M.Services = @{}; $script:M.ComPlus = $null; $script:M.Devices = @()
        $script:M.Registry = @{}
        $f = Get-SrGuestFact
        $f.agent.installed | Should -BeFalse
        $f.agentService.exists | Should -BeFalse
        $f.vssProvider.serviceExists | Should -BeFalse
        $f.vssProvider.vssOption | Should -BeNullOrEmpty
        $f.vioSerial.present | Should -BeFalse
        ($f | ConvertTo-Json -Depth 10 | ConvertFrom-Json).vioSerial.devices.Count | Should -Be 0
    }
    It 'conforms to docs/facts.schema.json' {
        $schema = Join-Path $PSScriptRoot '..' '..' 'docs' 'facts.schema.json'
        $json = Get-SrGuestFact -PinnedThumbprint ('AB' * 20) | ConvertTo-Json -Depth 10
        Test-Json -Json $json -SchemaFile $schema | Should -BeTrue
        $script:M.Products = @(); $script:M.Related = @(); $script:M.Services = @{}; $script:M.ComPlus = $null; $script:M.Devices = @(); $script:M.Registry = @{}
        Test-Json -Json (Get-SrGuestFact | ConvertTo-Json -Depth 10) -SchemaFile $schema | Should -BeTrue
    }
    It 'has a schema that rejects documents outside version 1' {
        $schema = Join-Path $PSScriptRoot '..' '..' 'docs' 'facts.schema.json'
        $doc = Get-SrGuestFact | ConvertTo-Json -Depth 10 | ConvertFrom-Json
        $doc.agent | Add-Member -NotePropertyName unexpected -NotePropertyValue 1
        Test-Json -Json ($doc | ConvertTo-Json -Depth 10) -SchemaFile $schema -ErrorAction SilentlyContinue | Should -BeFalse
        $doc = Get-SrGuestFact | ConvertTo-Json -Depth 10 | ConvertFrom-Json
        $doc.schemaVersion = 2
        Test-Json -Json ($doc | ConvertTo-Json -Depth 10) -SchemaFile $schema -ErrorAction SilentlyContinue | Should -BeFalse
        (Get-Content -LiteralPath $schema -Raw | ConvertFrom-Json).'$id' | Should -Match '/v1/'
    }
}

Describe 'ImagePath and conf parsing' {
    It 'parses <line>' -ForEach @(
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = $null; v = $false; clean = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = $null; v = $false; clean = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -l C:\qga.log -v'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = 'C:\qga.log'; v = $true; clean = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --logfile "C:\my logs\qga.log" --retry-path'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = 'C:\my logs\qga.log'; v = $false; clean = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" --logfile=C:\q.log -d'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = 'C:\q.log'; v = $false; clean = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -dv -lC:\q.log'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = 'C:\q.log'; v = $true; clean = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -c -v --verbose'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = $null; v = $true; clean = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -c -v' }
        @{ line = 'C:\Program Files\Qemu-ga\qemu-ga.exe -d -v'; exe = 'C:\Program Files\Qemu-ga\qemu-ga.exe'; log = $null; v = $true; clean = 'C:\Program Files\Qemu-ga\qemu-ga.exe -d' }
        @{ line = 'C:\qga\qemu-ga.exe -d --retry-path'; exe = 'C:\qga\qemu-ga.exe'; log = $null; v = $false; clean = 'C:\qga\qemu-ga.exe -d --retry-path' }
    ) {
        $r = InModuleScope SnapReady.Guest -Parameters @{ l = $line } { param($l) ConvertFrom-SrAgentImagePath -ImagePath $l }
        $r.exePath | Should -BeExactly $exe
        $r.logfile | Should -Be $log
        $r.verbose | Should -Be $v
        $r.cleanedImagePath | Should -BeExactly $clean
    }
    It 'finds the conf file of -c/--config in <line>' -ForEach @(
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -c D:\qga\agent.conf'; config = 'D:\qga\agent.conf' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -cD:\qga\agent.conf'; config = 'D:\qga\agent.conf' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -dc "D:\my qga\agent.conf" --retry-path'; config = 'D:\my qga\agent.conf' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" --config D:\a.conf -d'; config = 'D:\a.conf' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" --config=D:\a.conf --config=D:\b.conf'; config = 'D:\b.conf' }
        @{ line = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'; config = $null }
    ) {
        $r = InModuleScope SnapReady.Guest -Parameters @{ l = $line } { param($l) ConvertFrom-SrAgentImagePath -ImagePath $l }
        $r.config | Should -Be $config
    }
    It 'reads logging from the conf file named by -c in the ImagePath, not from -ConfPath' {
        . $PSScriptRoot/Support/MockState.ps1
        $script:M.Registry['hklm:\system\currentcontrolset\services\qemu-ga|imagepath'] = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -c D:\qga\agent.conf'
        $script:M.Content['d:\qga\agent.conf'] = @('[general]', 'logfile=C:\from-c.log')
        $script:M.Content['c:\program files\qemu-ga\qemu-ga.conf'] = @('[general]', 'verbose=false')
        $f = Get-SrGuestFact
        $f.logging.confPath | Should -Be 'D:\qga\agent.conf'
        $f.logging.confLogfile | Should -Be 'C:\from-c.log'
        $f.logging.enabled | Should -BeTrue
        $r = Disable-SrAgentLogging
        $r.confChanged | Should -BeTrue
        $script:M.Content['d:\qga\agent.conf'] | Should -Be @('[general]')
    }
    It 'parses the conf keyfile' {
        $r = InModuleScope SnapReady.Guest {
            ConvertFrom-SrAgentConf -Line @('# comment', '[general]', 'logfile=C:\a.log', 'verbose = TRUE', 'block-rpcs=guest-exec', '[other]', 'logfile=C:\ignored.log')
        }
        $r.logfile | Should -Be 'C:\a.log'
        $r.verbose | Should -BeTrue
        $r.changed | Should -BeTrue
        $r.cleanedLines | Should -Be @('# comment', '[general]', 'block-rpcs=guest-exec', '[other]', 'logfile=C:\ignored.log')
        $off = InModuleScope SnapReady.Guest { ConvertFrom-SrAgentConf -Line @('[general]', 'verbose=false') }
        $off.loggingEnabled | Should -BeFalse
        $off.changed | Should -BeFalse
    }
    It 'quotes argument arrays for Windows PowerShell 5.1 process starts' {
        $line = InModuleScope SnapReady.Guest { ConvertTo-SrCommandLine -Argument @('/i', 'C:\a b\x.msi', 'say "hi"', 'C:\dir\', '') }
        $line | Should -BeExactly '/i "C:\a b\x.msi" "say \"hi\"" C:\dir\ ""'
        $tokens = InModuleScope SnapReady.Guest -Parameters @{ l = $line } { param($l) ConvertFrom-SrCommandLine -CommandLine $l }
        @($tokens.value) | Should -Be @('/i', 'C:\a b\x.msi', 'say "hi"', 'C:\dir\', '')
    }
}

Describe 'Invoke-SrGuestCommand' {
    BeforeEach { . $PSScriptRoot/Support/MockState.ps1 }
    It 'runs an allow-listed command with data parameters' {
        $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 @{ command = 'Set-SrVssOption'; parameters = @{ Value = 5 } }) | ConvertFrom-Json
        $out.ok | Should -BeTrue
        $out.result.changed | Should -BeTrue
        $script:M.Registry['hklm:\system\currentcontrolset\services\qemu guest agent vss provider|vssoption'] | Should -Be 5
    }
    It 'returns the facts document' {
        $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 @{ command = 'Get-SrGuestFact'; parameters = @{} }) | ConvertFrom-Json
        $out.ok | Should -BeTrue
        $out.result.schemaVersion | Should -Be 1
    }
    It 'refuses <name>' -ForEach @(
        @{ name = 'a command outside the allow-list'; req = @{ command = 'Remove-Item'; parameters = @{ Path = 'C:\' } }; id = 'SrCommandNotAllowed' }
        @{ name = 'the dispatcher itself'; req = @{ command = 'Invoke-SrGuestCommand'; parameters = @{} }; id = 'SrCommandNotAllowed' }
        @{ name = 'a private function'; req = @{ command = 'Invoke-SrPlatformProcess'; parameters = @{ FilePath = 'x' } }; id = 'SrCommandNotAllowed' }
        @{ name = 'an unknown parameter'; req = @{ command = 'Set-SrVssOption'; parameters = @{ Value = 5; Evil = 1 } }; id = 'SrParameterNotAllowed' }
        @{ name = 'a common parameter'; req = @{ command = 'Set-SrVssOption'; parameters = @{ Value = 5; ErrorAction = 'Ignore' } }; id = 'SrParameterNotAllowed' }
        @{ name = 'a nested object'; req = @{ command = 'Set-SrVssOption'; parameters = @{ Value = @{ a = 1 } } }; id = 'SrParameterTypeInvalid' }
    ) {
        $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 $req) | ConvertFrom-Json
        $out.ok | Should -BeFalse
        $out.error.errorId | Should -Be $id
        $out.error.retryable | Should -BeFalse
    }
    It 'rejects malformed requests without throwing' {
        (Invoke-SrGuestCommand -RequestBase64 '***' | ConvertFrom-Json).error.errorId | Should -Be 'SrRequestMalformed'
        (Invoke-SrGuestCommand -RequestBase64 ([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('[1,2]'))) | ConvertFrom-Json).ok | Should -BeFalse
        (Invoke-SrGuestCommand -RequestBase64 '' | ConvertFrom-Json).ok | Should -BeFalse
    }
    It 'reports a retryable 1618 as ok=false, retryable=true' {
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 1618; stdout = ''; stderr = '' } }
        $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 @{ command = 'Install-SrAgent'; parameters = @{ InstallerPath = 'C:\stage\qemu-ga-x86_64.msi'; Kind = 'msi'; Version = '109.0.0' } }) | ConvertFrom-Json
        $out.ok | Should -BeFalse
        $out.error.retryable | Should -BeTrue
        $out.error.message | Should -BeLike '*1618*'
        $out.error.category | Should -Be 'ResourceBusy'
    }
    It 'maps validation failures and passes array parameters' {
        (Invoke-SrGuestCommand -RequestBase64 (& $ToB64 @{ command = 'Set-SrVssOption'; parameters = @{ Value = 9 } }) | ConvertFrom-Json).error.category | Should -Be 'InvalidData'
        $script:M.Files['c:\stage\vendor-qga.exe'] = 'x'
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) $script:M.Products[0].displayVersion = '109.0.0'; [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
        $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 @{ command = 'Install-SrAgent'; parameters = @{ InstallerPath = 'C:\stage\vendor-qga.exe'; Kind = 'vendor'; Version = '109.0.0'; SilentArguments = @('/S', '/norestart') } }) | ConvertFrom-Json
        $out.ok | Should -BeTrue
        $script:M.Processes[0].ArgumentList | Should -Be @('/S', '/norestart')
    }
    It 'supports WhatIf for Request-SrReboot' {
        $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 @{ command = 'Request-SrReboot'; parameters = @{ WhatIf = $true } }) | ConvertFrom-Json
        $out.result.changed | Should -BeFalse
        $script:M.Reboots | Should -Be 0
    }
}

Describe 'A 32-bit PowerShell on 64-bit Windows is refused (registry and System32 would be redirected)' {
    It 'throws SrWow64Process for a 32-bit process on a 64-bit OS' {
        $e = { & (Get-Module SnapReady.Guest) { Assert-SrNativeProcess -Is64BitOperatingSystem $true -Is64BitProcess $false } } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrWow64Process*'
        $e.Exception.Message | Should -BeLike '*32-bit PowerShell on 64-bit Windows*64-bit PowerShell*'
    }
    It 'accepts a native process (<os>-bit Windows, <process>-bit PowerShell)' -ForEach @(
        @{ os = 64; process = 64 }
        @{ os = 32; process = 32 }
    ) {
        { & (Get-Module SnapReady.Guest) { param($o, $p) Assert-SrNativeProcess -Is64BitOperatingSystem $o -Is64BitProcess $p } ($os -eq 64) ($process -eq 64) } | Should -Not -Throw
    }
    It 'is checked when the module is imported' {
        $psm1 = Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psm1'
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($psm1, [ref]$null, [ref]$null)
        @($ast.EndBlock.Statements | Where-Object { $_ -is [System.Management.Automation.Language.PipelineAst] -and $_.PipelineElements[0].GetCommandName() -eq 'Assert-SrNativeProcess' }).Count | Should -Be 1
    }
}
