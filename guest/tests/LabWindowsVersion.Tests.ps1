# Lab guests of each supported Windows version (New-SrLabGuest -Os) and in
# Japanese (-Locale ja-JP): what differs between them, and that the guest
# module reaches the desired state on each without reading any localized text.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
}
AfterAll {
    Disable-SrLab
}

Describe 'Lab: Windows versions' {
    It 'models <Os> as build <Build> (<Edition>, execution policy <Policy>, driver folder <Folder>)' -ForEach @(
        @{ Os = '2012r2'; Version = '6.3.9600'; Build = 9600; Edition = 'server'; Policy = 'RemoteSigned'; Folder = '2k12R2'; PnpDevice = $false }
        @{ Os = '2016'; Version = '10.0.14393'; Build = 14393; Edition = 'server'; Policy = 'RemoteSigned'; Folder = '2k16'; PnpDevice = $true }
        @{ Os = '2019'; Version = '10.0.17763'; Build = 17763; Edition = 'server'; Policy = 'RemoteSigned'; Folder = '2k19'; PnpDevice = $true }
        @{ Os = '2022'; Version = '10.0.20348'; Build = 20348; Edition = 'server'; Policy = 'RemoteSigned'; Folder = '2k22'; PnpDevice = $true }
        @{ Os = '2025'; Version = '10.0.26100'; Build = 26100; Edition = 'server'; Policy = 'RemoteSigned'; Folder = '2k25'; PnpDevice = $true }
        @{ Os = 'win10'; Version = '10.0.19045'; Build = 19045; Edition = 'client'; Policy = 'Restricted'; Folder = 'w10'; PnpDevice = $true }
        @{ Os = 'win11'; Version = '10.0.22631'; Build = 22631; Edition = 'client'; Policy = 'Restricted'; Folder = 'w11'; PnpDevice = $true }
    ) {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive "$Os.json") -Os $Os
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.os.edition | Should -Be $Edition
        $state.os.executionPolicy | Should -Be $Policy
        $state.os.hasGetPnpDevice | Should -Be $PnpDevice
        $lab.infPath | Should -Be "D:\vioserial\$Folder\amd64\vioser.inf"
        Enable-SrLab -StatePath $lab.statePath
        $facts = Get-SrGuestFact
        $facts.os.version | Should -Be $Version
        $facts.os.build | Should -Be $Build
    }

    It 'keeps the Server 2019 guest of old without -Os' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'default.json')
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.os.caption | Should -Be 'Windows Server 2019 Datacenter (lab)'
        $state.os.locale | Should -Be 'en-US'
        $lab.infPath | Should -Be 'D:\vioserial\2k19\amd64\vioser.inf'
    }

    It 'refuses an unknown version or locale' {
        { New-SrLabGuest -Path (Join-Path $TestDrive 'xp.json') -Os 'xp' } | Should -Throw
        { New-SrLabGuest -Path (Join-Path $TestDrive 'fr.json') -Locale 'fr-FR' } | Should -Throw
    }
}

Describe 'Lab: a Japanese Windows (ja-JP)' {
    BeforeAll {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'ja.json') -Os 2012r2 -Locale ja-JP -Fault DriverRequiresReboot
        Enable-SrLab -StatePath $lab.statePath
    }

    It 'shows Windows'' own names in Japanese, installer-set names as installed' {
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.pnpDevices[0].friendlyName | Should -Be 'PCI シンプル通信コントローラー'
        $state.pnpDevices[0].className | Should -Be 'ほかのデバイス'
        $state.registry['hklm:\system\currentcontrolset\services\vss'].values['displayname'].data | Should -Be 'ボリューム シャドウ コピー'
    }

    It 'answers in Japanese where Windows tools do (pnputil before the publisher is trusted)' {
        $e = { Install-SrVioSerialDriver -InfPath $lab.infPath } | Should -Throw -PassThru
        $e.Exception.Message | Should -BeLike '*発行元を確認できません*'
        $e.FullyQualifiedErrorId | Should -BeLike 'SrDriverInstallFailed*'
    }

    It 'reaches the desired state, then a second pass changes nothing' {
        $steps = {
            $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory 'C:\ProgramData\snapready\installers'
            @(
                Add-SrTrustedPublisher -Thumbprint $lab.signerThumbprint -CertificatePath $lab.catPath
                Install-SrVioSerialDriver -InfPath $lab.infPath
                Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion -LogPath 'C:\Windows\Temp\i.log'
                Repair-SrVssProvider
                Set-SrVssOption -Value 5
                Set-SrAgentService
            )
        }
        $first = & $steps
        ($first | Where-Object { $_.changed }).Count | Should -BeGreaterThan 0
        $null = Request-SrReboot -Reason 'lab'
        $second = & $steps
        @($second | Where-Object { $_.changed }) | Should -HaveCount 0
        $facts = Get-SrGuestFact -PinnedThumbprint $lab.signerThumbprint
        $facts.vioSerial.bound | Should -BeTrue
        $facts.agentService.status | Should -Be 'Running'
        $facts.vssProvider.vssOption | Should -Be 5
        $facts.pendingReboot.pending | Should -BeFalse
        # The legacy pnputil syntax of build 9600, and a Japanese msiexec log.
        $state = Get-SrLabState -StatePath $lab.statePath
        @($state.processLog | Where-Object { $_.filePath -like '*pnputil.exe' } | ForEach-Object { $_.argumentList[0] }) | Should -Contain '-i'
        $state.pnpDevices[0].className | Should -Be 'システム デバイス'
        $state.files['c:\windows\temp\i.log'].content | Should -BeLike '*インストールは終了コード*'
    }
}

Describe 'Lab: VSS writers' {
    It 'reports a healthy default set by id, state number and HRESULT' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'writers.json')
        Enable-SrLab -StatePath $lab.statePath
        $facts = Get-SrGuestFact
        $facts.vssWriters.unknownReason | Should -BeNullOrEmpty
        @($facts.vssWriters.writers).Count | Should -Be 6
        @($facts.vssWriters.writers | Where-Object { $_.state -ne 1 -or $_.lastError -ne 0 }) | Should -HaveCount 0
        ($facts.vssWriters.writers | Where-Object { $_.writerId -eq '{e8132975-6f93-4464-a53e-1050253ae220}' }).name | Should -Be 'System Writer'
        @($facts.vssWriters.writers.stateName | Select-Object -Unique) | Should -Be @('STABLE')
    }

    It 'fails the System Writer under the fault VssWriterFailed, with localized names and stable ids on ja-JP' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'writers-ja.json') -Os win11 -Locale ja-JP
        Enable-SrLab -StatePath $lab.statePath
        Set-SrLabFault -StatePath $lab.statePath -Fault VssWriterFailed
        $facts = Get-SrGuestFact
        @($facts.vssWriters.writers).Count | Should -Be 5
        $system = $facts.vssWriters.writers | Where-Object { $_.writerId -eq '{e8132975-6f93-4464-a53e-1050253ae220}' }
        $system.name | Should -Be 'システム ライター'
        $system.state | Should -Be 9
        $system.stateName | Should -Be 'FAILED_AT_FREEZE'
        $system.lastError | Should -Be 2147754994
        Set-SrLabFault -StatePath $lab.statePath -Fault VssWriterFailed -Remove
        ((Get-SrGuestFact).vssWriters.writers | Where-Object { $_.writerId -eq '{e8132975-6f93-4464-a53e-1050253ae220}' }).state | Should -Be 1
    }
}
