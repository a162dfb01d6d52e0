# Simulated install time (used by the runner benchmark): the lab's installers
# take -InstallDelaySeconds to finish, and nothing else slows down.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
}
AfterAll {
    Disable-SrLab
}

Describe 'Lab: simulated install time' {
    It 'makes msiexec take the configured time and still install' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'slow-install.json') -InstallDelaySeconds 2
        Enable-SrLab -StatePath $lab.statePath
        $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory 'C:\ProgramData\snapready\installers'
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion -LogPath 'C:\Windows\Temp\i.log'
        $watch.Stop()
        $result.changed | Should -BeTrue
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2
        (Get-SrGuestFact).agent.version | Should -Be $lab.agentVersion
    }

    It 'does not delay other programs' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'slow-install-2.json') -InstallDelaySeconds 5
        Enable-SrLab -StatePath $lab.statePath
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = Add-SrTrustedPublisher -Thumbprint $lab.signerThumbprint -CertificatePath $lab.catPath
        $null = Install-SrVioSerialDriver -InfPath $lab.infPath
        $watch.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
    }
}
