# The Windows implementations of the platform layer (guest/SnapReady.Guest/
# Platform), run here off Windows: Assert-SrPlatformWindows is mocked to pass,
# and the Windows cmdlets they call are mocked (commands that do not exist in
# PowerShell on Linux get a global stub first, so that Pester can mock them).
# What Windows itself would answer is the mocks' business: these tests pin
# which API each wrapper uses and how it reads the answer.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    $script:Stubbed = @()
    foreach ($name in @('Get-CimInstance', 'Invoke-CimMethod'))
    {
        if ($null -eq (Get-Command -Name $name -ErrorAction SilentlyContinue))
        {
            $null = New-Item -Path ('Function:\global:{0}' -f $name) -Value {
                [CmdletBinding()]
                param([string] $ClassName, [string] $Namespace, [string] $Filter, [string] $Query, [string[]] $Property, [string] $MethodName, [object] $InputObject, [System.Collections.IDictionary] $Arguments)
                throw 'stub: mock me'
            }
            $script:Stubbed += $name
        }
    }
    foreach ($name in @('Get-Service'))
    {
        if ($null -eq (Get-Command -Name $name -ErrorAction SilentlyContinue))
        {
            $null = New-Item -Path ('Function:\global:{0}' -f $name) -Value { [CmdletBinding()] param([string[]] $Name) throw 'stub: mock me' }
            $script:Stubbed += $name
        }
    }
    Mock -ModuleName SnapReady.Guest Assert-SrPlatformWindows { }
    # A CIM-like object: a PSCustomObject with the given properties.
    $script:Cim = { param([hashtable] $Property) [pscustomobject]$Property }
}
AfterAll {
    foreach ($name in $script:Stubbed) { Remove-Item -Path ('Function:\global:{0}' -f $name) -ErrorAction SilentlyContinue }
}

Describe 'Get-SrPlatformPnpDevice (Win32_PnPEntity, not Get-PnpDevice, which Server 2012 R2 lacks)' {
    BeforeEach {
        Mock -ModuleName SnapReady.Guest Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_PnPEntity' } {
            & $Cim @{ DeviceID = 'PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00\3&267A616A&0&28'; HardwareID = @('PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00', 'PCI\VEN_1AF4&DEV_1003'); ConfigManagerErrorCode = 0; Status = 'OK'; Present = $true }
            & $Cim @{ DeviceID = 'PCI\VEN_1AF4&DEV_1043\GONE'; HardwareID = @('PCI\VEN_1AF4&DEV_1043'); ConfigManagerErrorCode = 0; Status = 'Unknown'; Present = $false }
            & $Cim @{ DeviceID = 'PCI\VEN_1AF4&DEV_1043\PHANTOM'; HardwareID = @('PCI\VEN_1AF4&DEV_1043'); ConfigManagerErrorCode = 45; Status = 'Unknown' }
            & $Cim @{ DeviceID = 'PCI\VEN_8086&DEV_1237\3&1'; HardwareID = @('PCI\VEN_8086&DEV_1237'); ConfigManagerErrorCode = 0; Status = 'OK' }
            & $Cim @{ DeviceID = 'ACPI\NOHWID'; HardwareID = $null; ConfigManagerErrorCode = 0; Status = 'OK' }
        }
        Mock -ModuleName SnapReady.Guest Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_PnPSignedDriver' } {
            & $Cim @{ DeviceID = 'PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00\3&267A616A&0&28'; DriverVersion = '100.94.104.26600'; DriverProviderName = 'Red Hat, Inc.'; InfName = 'oem3.inf' }
        }
    }
    It 'lists present matching devices with their driver; status OK from ConfigManagerErrorCode 0' {
        $devices = @(& (Get-Module SnapReady.Guest) { Get-SrPlatformPnpDevice -HardwareId 'PCI\VEN_1AF4&DEV_1003', 'PCI\VEN_1AF4&DEV_1043' })
        $devices.Count | Should -Be 1
        $devices[0].instanceId | Should -Be 'PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00\3&267A616A&0&28'
        $devices[0].hardwareId | Should -Be 'PCI\VEN_1AF4&DEV_1003'
        $devices[0].status | Should -Be 'OK'
        $devices[0].driverVersion | Should -Be '100.94.104.26600'
        $devices[0].infName | Should -Be 'oem3.inf'
        Should -Invoke -ModuleName SnapReady.Guest Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_PnPEntity' -and $null -eq $Filter } -Times 1 -Exactly
    }
    It 'reports a device without a working driver (ConfigManagerErrorCode 28) as an error, whatever Status text Windows gives' {
        Mock -ModuleName SnapReady.Guest Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_PnPEntity' } {
            & $Cim @{ DeviceID = 'PCI\VEN_1AF4&DEV_1043\1'; HardwareID = @('PCI\VEN_1AF4&DEV_1043&SUBSYS_11001AF4'); ConfigManagerErrorCode = 28; Status = 'OK' }
        }
        $devices = @(& (Get-Module SnapReady.Guest) { Get-SrPlatformPnpDevice -HardwareId 'PCI\VEN_1AF4&DEV_1003', 'PCI\VEN_1AF4&DEV_1043' })
        $devices.Count | Should -Be 1
        $devices[0].status | Should -Be 'Error (code 28)'
        $devices[0].driverVersion | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-SrPlatformProcess is bounded (-TimeoutSeconds) and kills the whole process tree' -Skip:($IsWindows) {
    # Real processes (sh, sleep) stand in for msiexec, pnputil and qemu-ga here.
    It 'returns the exit code and output of a program that finishes in time' {
        $r = & (Get-Module SnapReady.Guest) { Invoke-SrPlatformProcess -FilePath '/bin/sh' -ArgumentList '-c', 'echo out; echo err >&2; exit 3' }
        $r.exitCode | Should -Be 3
        $r.stdout.Trim() | Should -Be 'out'
        $r.stderr.Trim() | Should -Be 'err'
    }
    It 'stops a program that hangs after -TimeoutSeconds, with its children, and throws the retryable SrProcessTimeout' {
        $pidFile = Join-Path $TestDrive 'child.pid'
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $e = { & (Get-Module SnapReady.Guest) { param($f) Invoke-SrPlatformProcess -FilePath '/bin/sh' -ArgumentList '-c', ('sleep 120 & echo $! > {0}; wait' -f $f) -TimeoutSeconds 2 } $pidFile } | Should -Throw -PassThru
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        $e.FullyQualifiedErrorId | Should -BeLike 'SrProcessTimeout*'
        $e.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $e.TargetObject.retryable | Should -BeTrue
        $e.TargetObject.timeoutSeconds | Should -Be 2
        $e.Exception.Message | Should -BeLike "'/bin/sh' did not exit within 2 s*"
        $child = [int](Get-Content -LiteralPath $pidFile -Raw)
        Start-Sleep -Milliseconds 300
        # Killed means gone, or a zombie waiting to be reaped (state Z: in a container nobody may reap it).
        $stat = Join-Path '/proc' $child 'stat'
        $alive = (Test-Path -LiteralPath $stat) -and ((Get-Content -LiteralPath $stat -Raw) -notmatch '^\d+ \(.*\) Z ')
        $alive | Should -BeFalse -Because 'the child (sleep 120) is killed with its parent'
    }
}

Describe 'Get-SrPlatformComPlusApplication (a broken COM+ catalog is unknown, not missing)' {
    It 'throws SrComPlusCatalogUnavailable with the HRESULT when the catalog cannot be created (<name>)' -ForEach @(
        @{ name = 'SENS or MSDTC disabled'; hresult = 0x8007042C; hex = '0x8007042C' }
        @{ name = 'COMAdmin not registered'; hresult = 0x80040154; hex = '0x80040154' }
    ) {
        $script:HResult = $hresult
        Mock -ModuleName SnapReady.Guest New-SrPlatformComObject -ParameterFilter { $ProgId -eq 'COMAdmin.COMAdminCatalog' } { throw [System.Runtime.InteropServices.COMException]::new('localized text', $script:HResult) }
        $e = { & (Get-Module SnapReady.Guest) { Get-SrPlatformComPlusApplication -Name 'QEMU Guest Agent VSS Provider' } } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrComPlusCatalogUnavailable*'
        $e.TargetObject.hresult | Should -Be $hex
        $e.Exception.Message | Should -BeLike "*HRESULT $hex*"
    }
    It 'finds the application by exact name in a readable catalog' {
        Mock -ModuleName SnapReady.Guest New-SrPlatformComObject -ParameterFilter { $ProgId -eq 'COMAdmin.COMAdminCatalog' } {
            $catalog = [pscustomobject]@{}
            $catalog | Add-Member -MemberType ScriptMethod -Name GetCollection -Value {
                param($name)
                $list = [System.Collections.Generic.List[object]]::new()
                $list.Add([pscustomobject]@{ Name = 'QEMU Guest Agent VSS Provider x'; Key = '{1}' })
                $list.Add([pscustomobject]@{ Name = 'QEMU Guest Agent VSS Provider'; Key = '{2}' })
                $list | Add-Member -MemberType ScriptMethod -Name Populate -Value { }
                , $list
            }
            $catalog
        }
        $app = & (Get-Module SnapReady.Guest) { Get-SrPlatformComPlusApplication -Name 'QEMU Guest Agent VSS Provider' }
        $app.id | Should -Be '{2}'
    }
}

Describe 'Get-SrPlatformService (start type from Win32_Service.StartMode)' {
    BeforeEach {
        Mock -ModuleName SnapReady.Guest Get-Service { [pscustomobject]@{ Name = 'QEMU-GA'; DisplayName = 'QEMU Guest Agent'; Status = 'Running'; StartType = '' } }
        Mock -ModuleName SnapReady.Guest Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_Service' } {
            & $Cim @{ Name = 'QEMU Guest Agent VSS Provider'; StartMode = 'Manual' }
            & $Cim @{ Name = 'QEMU-GA'; StartMode = 'Auto' }
        }
    }
    It 'reports Automatic from StartMode Auto when ServiceController.StartType is empty' {
        $s = & (Get-Module SnapReady.Guest) { Get-SrPlatformService -Name 'QEMU-GA' }
        $s.startType | Should -Be 'Automatic'
        $s.status | Should -Be 'Running'
        $s.name | Should -Be 'QEMU-GA'
    }
    It 'reports the StartMode of the service itself (<mode> -> <expected>)' -ForEach @(
        @{ mode = 'Manual'; expected = 'Manual' }
        @{ mode = 'Disabled'; expected = 'Disabled' }
    ) {
        $script:Mode = $mode
        Mock -ModuleName SnapReady.Guest Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_Service' } { & $Cim @{ Name = 'QEMU-GA'; StartMode = $script:Mode } }
        (& (Get-Module SnapReady.Guest) { Get-SrPlatformService -Name 'QEMU-GA' }).startType | Should -Be $expected
    }
    It 'falls back to ServiceController.StartType, and reports an empty one as unknown (null)' {
        Mock -ModuleName SnapReady.Guest Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_Service' } { }
        (& (Get-Module SnapReady.Guest) { Get-SrPlatformService -Name 'QEMU-GA' }).startType | Should -BeNullOrEmpty
        Mock -ModuleName SnapReady.Guest Get-Service { [pscustomobject]@{ Name = 'QEMU-GA'; DisplayName = 'QEMU Guest Agent'; Status = 'Running'; StartType = 'Manual' } }
        (& (Get-Module SnapReady.Guest) { Get-SrPlatformService -Name 'QEMU-GA' }).startType | Should -Be 'Manual'
    }
    It 'returns $null for a service that does not exist' {
        Mock -ModuleName SnapReady.Guest Get-Service { }
        & (Get-Module SnapReady.Guest) { Get-SrPlatformService -Name 'nope' } | Should -BeNullOrEmpty
    }
}

Describe 'ConvertTo-SrPackedGuid (Windows Installer packed GUIDs)' {
    It 'packs <guid> to <packed> and back' -ForEach @(
        @{ guid = '{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}'; packed = '2038B6BEE60CCEB4DACA39C2863A9AD8' }
        @{ guid = '{12345678-9ABC-DEF0-1234-56789ABCDEF0}'; packed = '87654321CBA90FED21436587A9CBED0F' }
        @{ guid = '{05294e2f-7778-4e46-b2a3-cf039d5767c8}'; packed = 'F2E49250877764E42B3AFC30D975768C' }
    ) {
        & (Get-Module SnapReady.Guest) { param($g) ConvertTo-SrPackedGuid -Guid $g } $guid | Should -BeExactly $packed
        & (Get-Module SnapReady.Guest) { param($p) ConvertTo-SrPackedGuid -Guid $p -Unpack } $packed | Should -BeExactly $guid.ToUpperInvariant()
    }
    It 'refuses the wrong form for the direction' {
        { & (Get-Module SnapReady.Guest) { ConvertTo-SrPackedGuid -Guid '2038B6BEE60CCEB4DACA39C2863A9AD8' } } | Should -Throw
        { & (Get-Module SnapReady.Guest) { ConvertTo-SrPackedGuid -Guid '{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}' -Unpack } } | Should -Throw
        { & (Get-Module SnapReady.Guest) { ConvertTo-SrPackedGuid -Guid 'not-a-guid' } } | Should -Throw
    }
}

Describe 'Get-SrPlatformRelatedProduct (COM, with the Windows Installer registry as fallback)' {
    BeforeEach {
        Mock -ModuleName SnapReady.Guest Get-Item -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\Classes\Installer\UpgradeCodes\2038B6BEE60CCEB4DACA39C2863A9AD8' } {
            $key = [pscustomobject]@{}
            $key | Add-Member -MemberType ScriptMethod -Name GetValueNames -Value { @('E9C2A6B5F1D3A8E4C9B7A1B2C3D4E5F6', 'not-a-packed-guid') }
            $key
        }
    }
    It 'reads the product codes from UpgradeCodes (packed UpgradeCode) when the COM automation object fails' {
        Mock -ModuleName SnapReady.Guest New-SrPlatformComObject { throw [System.Runtime.InteropServices.COMException]::new('no', -2147221164) }
        $codes = @(& (Get-Module SnapReady.Guest) { Get-SrPlatformRelatedProduct -UpgradeCode '{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}' })
        $codes | Should -Be @('{5B6A2C9E-3D1F-4E8A-9C7B-1A2B3C4D5E6F}')
    }
    It 'answers nothing when neither knows the UpgradeCode' {
        Mock -ModuleName SnapReady.Guest New-SrPlatformComObject { throw 'no COM' }
        @(& (Get-Module SnapReady.Guest) { Get-SrPlatformRelatedProduct -UpgradeCode '{05294E2F-7778-4E46-B2A3-CF039D5767C8}' }).Count | Should -Be 0
    }
}
