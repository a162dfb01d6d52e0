# The lab parses its state file once per facts collection (Read-SrLabState
# -Shared, keyed on the file's text), and still sees every write: its own,
# another process's, and one that keeps the file's length and timestamp.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
    $script:LabManifest = Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1'
    # The real parser, called by the counting mocks below.
    $global:SrLabTestParse = & (Get-Module SnapReady.Lab) { ${function:ConvertFrom-SrLabJson} }
}
AfterAll {
    Disable-SrLab
    Remove-Variable -Name 'SrLabTestParse' -Scope Global -ErrorAction SilentlyContinue
}

Describe 'Lab state cache' {
    BeforeEach {
        $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive ('g-{0}.json' -f [guid]::NewGuid().ToString('N')))
        Enable-SrLab -StatePath $lab.statePath
    }
    It 'parses the state file once for a whole facts collection (some 30 platform calls)' {
        Mock -ModuleName SnapReady.Lab ConvertFrom-SrLabJson { & $global:SrLabTestParse -Json $Json }
        $facts = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $facts.os.build | Should -BeGreaterThan 0
        Should -Invoke -ModuleName SnapReady.Lab ConvertFrom-SrLabJson -Times 1 -Exactly
        $null = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        Should -Invoke -ModuleName SnapReady.Lab ConvertFrom-SrLabJson -Times 1 -Exactly
    }
    It 'sees a write by another process (lab-ctl, a second runner) at the next call' {
        $before = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $before.os.build | Should -Not -Be 20348
        $child = Join-Path $TestDrive 'lab-ctl-child.ps1'
        Set-Content -LiteralPath $child -Value 'param($Manifest, $StatePath) $ErrorActionPreference = ''Stop''; Import-Module $Manifest; Set-SrLabOption -StatePath $StatePath -OsVersion ''10.0.20348'''
        & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $child $LabManifest $lab.statePath
        $LASTEXITCODE | Should -Be 0
        (Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint).os.build | Should -Be 20348
    }
    It 'sees an outside write that keeps the file''s length and last-write time' {
        $first = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $text = [IO.File]::ReadAllText($lab.statePath)
        $text | Should -Match '"freeBytes": 42949672960'
        $stamp = [IO.File]::GetLastWriteTimeUtc($lab.statePath)
        [IO.File]::WriteAllText($lab.statePath, $text.Replace('"freeBytes": 42949672960', '"freeBytes": 42949672961'))
        [IO.File]::SetLastWriteTimeUtc($lab.statePath, $stamp)
        (Get-Item -LiteralPath $lab.statePath).Length | Should -Be $text.Length
        $first.disk.systemDriveFreeBytes | Should -Be 42949672960
        (Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint).disk.systemDriveFreeBytes | Should -Be 42949672961
    }
    It 'never changes the shared state: a boot that a read-only call completed but could not save (simulated) happens again at the next call' {
        $null = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.status = 'rebooting'
        $state.upAt = [datetime]::UtcNow.AddMinutes(-1).ToString('o')
        $bootCount = [int]$state.os.bootCount
        $global:SrLabTestWrite = & (Get-Module SnapReady.Lab) { ${function:Write-SrLabState} }
        & $global:SrLabTestWrite -Path $lab.statePath -State $state
        $global:SrLabTestFailWrite = $true
        Mock -ModuleName SnapReady.Lab Write-SrLabState {
            if ($global:SrLabTestFailWrite) { $global:SrLabTestFailWrite = $false; throw 'simulated: disk full' }
            & $global:SrLabTestWrite -Path $Path -State $State
        }
        $getOs = { & (Get-Module SnapReady.Lab) { param($p) Invoke-SrLabOperation -StatePath $p -Operation 'Get-SrPlatformOs' -Parameters @{} } $lab.statePath }
        try
        {
            # The first read-only call after upAt completes the boot; saving it fails.
            $getOs | Should -Throw '*simulated*'
            (Get-SrLabState -StatePath $lab.statePath).status | Should -Be 'rebooting'
            # The next one must find the guest still rebooting, and complete the boot.
            (& $getOs).lastBootUpTime | Should -Be $state.upAt
            $after = Get-SrLabState -StatePath $lab.statePath
            $after.status | Should -Not -Be 'rebooting'
            [int]$after.os.bootCount | Should -Be ($bootCount + 1)
        }
        finally
        {
            Remove-Variable -Name 'SrLabTestWrite', 'SrLabTestFailWrite' -Scope Global -ErrorAction SilentlyContinue
        }
    }
}
