# The platform dispatch: Windows by default, the lab only by explicit switch.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
    $script:GetProvider = { & (Get-Module SnapReady.Guest) { $script:SrPlatformProvider } }
}
AfterAll { Disable-SrLab }

Describe 'Platform dispatch' {
    It 'uses the Windows implementation after import' {
        Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
        & $GetProvider | Should -BeNullOrEmpty
    }
    It 'fails clearly off Windows instead of calling missing cmdlets' -Skip:($IsWindows) {
        { Get-SrGuestFact } | Should -Throw -ExceptionType ([System.PlatformNotSupportedException])
        { Get-SrGuestFact } | Should -Throw -ExpectedMessage '*needs Windows*'
    }
    It 'is switched to the lab only by Enable-SrLab, and back by Disable-SrLab' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'p.json')
        $env:SNAPREADY_LAB = $lab.statePath
        & $GetProvider | Should -BeNullOrEmpty
        Remove-Item Env:\SNAPREADY_LAB
        Enable-SrLab -StatePath $lab.statePath
        & $GetProvider | Should -Not -BeNullOrEmpty
        (Get-SrGuestFact).os.version | Should -Be '10.0.17763'
        Disable-SrLab
        & $GetProvider | Should -BeNullOrEmpty
    }
    It 'the lab implements every dispatching platform function' {
        $platform = Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'Platform'
        $dispatching = @(Get-ChildItem $platform -Filter '*.ps1' | Where-Object { (Get-Content -LiteralPath $_.FullName -Raw) -match '\$script:SrPlatformProvider \$MyInvocation' } | ForEach-Object BaseName)
        $dispatching.Count | Should -BeGreaterThan 20
        $labText = Get-Content -LiteralPath (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'Private' 'Invoke-SrLabOperation.ps1') -Raw
        foreach ($name in $dispatching) { $labText | Should -Match ("'" + [regex]::Escape($name) + "'") -Because $name }
    }
}
