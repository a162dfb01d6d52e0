# Injection proof: hostile strings given as parameters (directly and through
# Invoke-SrGuestCommand) stay data. A canary file must never appear.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
    $script:Canary = Join-Path ([IO.Path]::GetTempPath()) ('sr-canary-' + [guid]::NewGuid().ToString('N'))
    $c = $Canary
    $script:Hostile = @(
        "x'; New-Item -ItemType File -Path '$c'; '"
        "x`"; New-Item -ItemType File -Path `"$c`"; `""
        "`$(New-Item -ItemType File -Path '$c')"
        ('`$(New-Item -ItemType File -Path ''' + $c + ''')`')
        "x; New-Item -ItemType File -Path '$c'"
        "x`nNew-Item -ItemType File -Path '$c'"
        "x`r`n& New-Item -ItemType File -Path '$c'"
        '& calc'
        "x & New-Item -ItemType File -Path '$c' & calc"
        "x | Out-File '$c'"
        "@(New-Item -ItemType File -Path '$c')"
    )
    $script:Swallow = { param([scriptblock] $Action) try { $null = & $Action } catch { $null = $_ } }
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
    $script:lab = New-SrLabGuest -Path (Join-Path $TestDrive 'hostile.json')
    Enable-SrLab -StatePath $lab.statePath
    $null = Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $lab.agentVersion
}
AfterAll {
    Disable-SrLab
    if (Test-Path -LiteralPath $Canary) { Remove-Item -LiteralPath $Canary -Force }
}

Describe 'Hostile parameter values' {
    It 'never evaluates hostile value #<_>' -ForEach @(0..10) {
        $h = $Hostile[$_]
        & $Swallow { Save-SrInstaller -Source ('https://example.invalid/' + $h) -Sha256 ('A' * 64) -DestinationDirectory 'C:\stage' }
        & $Swallow { Save-SrInstaller -Source ('\\srv\share\' + $h) -Sha256 ('A' * 64) -DestinationDirectory ('C:\stage\' + $h) }
        & $Swallow { Save-SrInstaller -Source ('C:\' + $h) }
        & $Swallow { Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory 'C:\stage' -FileName $h }
        & $Swallow { Add-SrTrustedPublisher -Thumbprint $lab.signerThumbprint -CertificatePath ('C:\' + $h) }
        & $Swallow { Add-SrTrustedPublisher -Thumbprint $h -CertificatePath $lab.cerPath }
        & $Swallow { Install-SrAgent -InstallerPath ('C:\' + $h) -Kind msi -Version '109.0.0' -LogPath ('C:\' + $h) }
        & $Swallow { Install-SrAgent -InstallerPath $lab.msiPath -Kind vendor -Version '109.0.0' -SilentArguments @($h, '/S') }
        & $Swallow { Install-SrAgent -InstallerPath $lab.msiPath -Kind msi -Version $h }
        & $Swallow { Repair-SrVssProvider -AgentPath ('C:\' + $h + '.exe') }
        & $Swallow { Disable-SrAgentLogging -ConfPath ('C:\' + $h) }
        & $Swallow { Install-SrVioSerialDriver -InfPath ('C:\' + $h + '.inf') }
        & $Swallow { Set-SrMarker -DesiredStateHash $h -DriftGeneration 1 }
        & $Swallow { Request-SrReboot -Reason $h -WhatIf }
        & $Swallow { Get-SrGuestFact -ConfPath ('C:\' + $h) }
        Test-Path -LiteralPath $Canary | Should -BeFalse
    }
    It 'passes a hostile installer path to msiexec as ONE argument element' {
        $h = $Hostile[2]
        $path = 'C:\stage\' + $h + '-x86_64.msi'
        $null = Add-SrLabFile -StatePath $lab.statePath -Path $path -Content 'LAB-MSI|qemu-ga|109.0.0|x64'
        $null = Install-SrAgent -InstallerPath $path -Kind msi -Version '109.0.0' -LogPath ('C:\logs\' + $Hostile[5])
        $call = @((Get-SrLabState -StatePath $lab.statePath).processLog)[-1]
        $call.argumentList | Should -Be @('/i', $path, '/qn', '/norestart', '/L*V', ('C:\logs\' + $Hostile[5]))
        Test-Path -LiteralPath $Canary | Should -BeFalse
    }
    It 'treats a hostile ImagePath and conf file as data' {
        $state = Get-SrLabState -StatePath $lab.statePath
        $key = 'hklm:\system\currentcontrolset\services\qemu-ga'
        $state.registry[$key].values['imagepath'].data = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -l "' + $Hostile[2] + '" -c "' + $Hostile[0] + '" -v'
        $state | ConvertTo-Json -Depth 30 | Set-Content -LiteralPath $lab.statePath
        $null = Add-SrLabFile -StatePath $lab.statePath -Path $lab.confPath -Content ("[general]`nlogfile=" + $Hostile[3] + "`nverbose=true")
        $facts = Get-SrGuestFact
        $facts.logging.imagePathLogfile | Should -BeExactly $Hostile[2]
        $r = Disable-SrAgentLogging
        $r.changed | Should -BeTrue
        (Get-SrGuestFact).agentService.imagePath | Should -BeExactly ('"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -c "' + $Hostile[0] + '"')
        Test-Path -LiteralPath $Canary | Should -BeFalse
    }
}

Describe 'Hostile requests through Invoke-SrGuestCommand' {
    It 'never evaluates hostile value #<_> in command names or parameters' -ForEach @(0..10) {
        $h = $Hostile[$_]
        $requests = @(
            @{ command = $h; parameters = @{} }
            @{ command = "Get-SrGuestFact; $h"; parameters = @{} }
            @{ command = 'Install-SrAgent'; parameters = @{ InstallerPath = 'C:\' + $h; Kind = 'msi'; Version = '109.0.0'; LogPath = 'C:\' + $h } }
            @{ command = 'Install-SrAgent'; parameters = @{ InstallerPath = $lab.msiPath; Kind = 'vendor'; Version = '109.0.0'; SilentArguments = @($h) } }
            @{ command = 'Save-SrInstaller'; parameters = @{ Source = 'https://example.invalid/' + $h; Sha256 = 'A' * 64; DestinationDirectory = 'C:\stage' } }
            @{ command = 'Disable-SrAgentLogging'; parameters = @{ ConfPath = 'C:\' + $h } }
            @{ command = 'Set-SrMarker'; parameters = @{ DesiredStateHash = $h; DriftGeneration = 1 } }
            @{ command = 'Set-SrVssOption'; parameters = @{ Value = $h } }
            @{ command = 'Get-SrGuestFact'; parameters = @{ $h = 1 } }
        )
        foreach ($request in $requests)
        {
            $out = Invoke-SrGuestCommand -RequestBase64 (& $ToB64 $request)
            { $out | ConvertFrom-Json } | Should -Not -Throw
        }
        $raw = Invoke-SrGuestCommand -RequestBase64 ([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($h)))
        ($raw | ConvertFrom-Json).ok | Should -BeFalse
        Test-Path -LiteralPath $Canary | Should -BeFalse
    }
}
