# Unit tests of every public primitive with the private platform layer mocked
# (Support/DefaultMocks.ps1 describes a healthy, configured guest).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    . $PSScriptRoot/Support/DefaultMocks.ps1
    $script:AssertResultShape = {
        param($Result)
        $Result.PSObject.Properties.Name | Should -Contain 'changed'
        $Result.PSObject.Properties.Name | Should -Contain 'rebootRequired'
        $Result.PSObject.Properties.Name | Should -Contain 'detail'
        $Result.changed | Should -BeOfType [bool]
        $Result.rebootRequired | Should -BeOfType [bool]
        $Result.detail | Should -BeOfType [string]
    }
}

Describe 'Save-SrInstaller' {
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:good = 'A' * 64
        $script:dest = 'c:\programdata\snapready\installers\qemu-ga-x86_64.msi'
    }
    It 'downloads an https source, verifies the hash and returns the staged path' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformFileHash { 'A' * 64 }
        Mock -ModuleName SnapReady.Guest Test-SrPlatformPath { $false } -ParameterFilter { $Path -like '*installers*' }
        $r = Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory 'C:\ProgramData\snapready\installers'
        & $AssertResultShape $r
        $r.changed | Should -BeTrue
        $r.path | Should -Be 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformDownload -Times 1 -Exactly
    }
    It 'copies a UNC source' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformFileHash { 'A' * 64 }
        $r = Save-SrInstaller -Source '\\fs\share\qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory 'C:\ProgramData\snapready\installers'
        $r.changed | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Guest Copy-SrPlatformFile -Times 1 -Exactly -ParameterFilter { $Source -eq '\\fs\share\qemu-ga-x86_64.msi' }
    }
    It 'is a no-op when the file is already staged with the right hash' {
        $script:M.Files[$dest] = 'x'
        $script:M.Hashes[$dest] = 'A' * 64
        $r = Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 ('a' * 64) -DestinationDirectory 'C:\ProgramData\snapready\installers'
        $r.changed | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformDownload -Times 0 -Exactly
    }
    It 'treats a local path as already staged' {
        $script:M.Hashes['c:\stage\qemu-ga-x86_64.msi'] = 'B' * 64
        $r = Save-SrInstaller -Source 'C:\stage\qemu-ga-x86_64.msi'
        $r.changed | Should -BeFalse
        $r.path | Should -Be 'C:\stage\qemu-ga-x86_64.msi'
    }
    It 'deletes the file and names expected and actual hash on a mismatch' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformFileHash { 'C' * 64 }
        { Save-SrInstaller -Source 'https://example.invalid/q/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory 'C:\ProgramData\snapready\installers' } |
            Should -Throw -ExpectedMessage "*expected $('A' * 64), actual $('C' * 64)*"
        Should -Invoke -ModuleName SnapReady.Guest Remove-SrPlatformFile -Times 1 -Exactly
        $script:M.Files.ContainsKey($dest) | Should -BeFalse
    }
    It 'requires -Sha256 for URL and UNC sources' {
        { Save-SrInstaller -Source 'https://example.invalid/q/qemu-ga-x86_64.msi' -DestinationDirectory 'C:\x' } | Should -Throw -ExpectedMessage '*-Sha256 is required*'
    }
    It 'rejects plain http and other sources' {
        { Save-SrInstaller -Source 'http://example.invalid/q.msi' -Sha256 $good -DestinationDirectory 'C:\x' } | Should -Throw -ExpectedMessage '*neither an https URL*'
    }
    It 'checks the Authenticode signer when asked' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformFileHash { 'A' * 64 }
        Mock -ModuleName SnapReady.Guest Get-SrPlatformAuthenticodeSignature { [pscustomobject]@{ status = 'Valid'; signerThumbprint = 'E' * 40; signerSubject = 'CN=x' } }
        { Save-SrInstaller -Source 'https://example.invalid/q/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory 'C:\x' -ExpectedSignerThumbprint ('F' * 40) } |
            Should -Throw -ExpectedMessage '*Authenticode check failed*'
        Should -Invoke -ModuleName SnapReady.Guest Remove-SrPlatformFile -Times 1 -Exactly
        (Save-SrInstaller -Source 'https://example.invalid/q/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory 'C:\x' -ExpectedSignerThumbprint ('e' * 40)).changed | Should -BeTrue
    }
}

Describe 'Add-SrTrustedPublisher' {
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:tp = 'AB' * 20
        $script:M.CertFiles['d:\vioserial\vioser.cat'] = [pscustomobject]@{ thumbprint = $tp; subject = 'CN=Red Hat, Inc.'; notAfter = '2031-01-01T00:00:00.0000000Z'; notBefore = '2021-01-01T00:00:00.0000000Z' }
    }
    It 'adds a pinned, valid certificate' {
        $r = Add-SrTrustedPublisher -Thumbprint $tp -CertificatePath 'D:\vioserial\vioser.cat'
        & $AssertResultShape $r
        $r.changed | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Guest Add-SrPlatformCertificate -Times 1 -Exactly -ParameterFilter { $StoreName -eq 'TrustedPublisher' -and $Thumbprint -eq $tp }
    }
    It 'is a no-op when already trusted' {
        $script:M.Store[$tp] = $script:M.CertFiles['d:\vioserial\vioser.cat']
        (Add-SrTrustedPublisher -Thumbprint $tp.ToLowerInvariant() -CertificatePath 'D:\vioserial\vioser.cat').changed | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Add-SrPlatformCertificate -Times 0 -Exactly
    }
    It 'refuses a certificate whose thumbprint does not match the pin' {
        { Add-SrTrustedPublisher -Thumbprint ('CD' * 20) -CertificatePath 'D:\vioserial\vioser.cat' } | Should -Throw -ExpectedMessage "*has thumbprint $tp, not the pinned thumbprint*"
        Should -Invoke -ModuleName SnapReady.Guest Add-SrPlatformCertificate -Times 0 -Exactly
    }
    It 'refuses an expired certificate' {
        $script:M.CertFiles['d:\vioserial\vioser.cat'].notAfter = '2020-01-01T00:00:00.0000000Z'
        { Add-SrTrustedPublisher -Thumbprint $tp -CertificatePath 'D:\vioserial\vioser.cat' } | Should -Throw -ExpectedMessage '*expired on 2020-01-01*'
        Should -Invoke -ModuleName SnapReady.Guest Add-SrPlatformCertificate -Times 0 -Exactly
    }
    It 'fails clearly when the file carries no certificate' {
        { Add-SrTrustedPublisher -Thumbprint $tp -CertificatePath 'D:\nothing.cer' } | Should -Throw -ExpectedMessage '*No certificate*'
    }
}

Describe 'Install-SrAgent' {
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:msi = 'C:\stage\qemu-ga-x86_64.msi'
        $script:upgradeTo = {
            param([int] $ExitCode)
            $script:M.ProcessHandler = {
                param($FilePath, $ArgumentList)
                $script:M.Products[0].displayVersion = '109.0.0'
                [pscustomobject]@{ exitCode = $script:M.NextExit; stdout = ''; stderr = '' }
            }
            $script:M.NextExit = $ExitCode
        }
    }
    It 'is a no-op when the version is already installed' {
        $r = Install-SrAgent -InstallerPath $msi -Kind msi -Version '108.0.2'
        & $AssertResultShape $r
        $r.changed | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 0 -Exactly
    }
    It 'runs msiexec with an argument array' {
        & $upgradeTo 0
        $r = Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' -LogPath 'C:\Windows\Temp\qga.log'
        $r.changed | Should -BeTrue
        $r.rebootRequired | Should -BeFalse
        $r.exitCode | Should -Be 0
        $call = $script:M.Processes[0]
        $call.FilePath | Should -Be 'C:\Windows\system32\msiexec.exe'
        $call.ArgumentList | Should -Be @('/i', $msi, '/qn', '/norestart', '/L*V', 'C:\Windows\Temp\qga.log')
    }
    It 'passes -TimeoutSeconds to Invoke-SrPlatformProcess (default 540) and validates it' {
        & $upgradeTo 0
        $null = Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' -TimeoutSeconds 2640
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 1 -Exactly -ParameterFilter { $TimeoutSeconds -eq 2640 }
        $script:M.Products[0].displayVersion = '108.0.2'
        $null = Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0'
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 1 -Exactly -ParameterFilter { $TimeoutSeconds -eq 540 }
        { Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' -TimeoutSeconds 0 } | Should -Throw
        { Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' -TimeoutSeconds 86401 } | Should -Throw
    }
    It 'builds guest-tools and vendor arguments' {
        & $upgradeTo 0
        $script:M.Files['c:\stage\virtio-win-guest-tools.exe'] = 'x'
        $script:M.Files['c:\stage\vendor-qga.exe'] = 'x'
        $null = Install-SrAgent -InstallerPath 'C:\stage\virtio-win-guest-tools.exe' -Kind guest-tools -Version '109.0.0' -LogPath 'C:\l.log'
        $script:M.Processes[0].FilePath | Should -Be 'C:\stage\virtio-win-guest-tools.exe'
        $script:M.Processes[0].ArgumentList | Should -Be @('/install', '/quiet', '/norestart', '/log', 'C:\l.log')
        $script:M.Products[0].displayVersion = '108.0.2'
        $null = Install-SrAgent -InstallerPath 'C:\stage\vendor-qga.exe' -Kind vendor -Version '109.0.0' -SilentArguments '/S', '/v/qn'
        $script:M.Processes[1].ArgumentList | Should -Be @('/S', '/v/qn')
        { Install-SrAgent -InstallerPath 'C:\stage\vendor-qga.exe' -Kind vendor -Version '110.0.0' } | Should -Throw -ExpectedMessage '*-SilentArguments is required*'
    }
    It 'maps <code> to success with rebootRequired and records it in the marker' -ForEach @(@{ code = 3010 }, @{ code = 1641 }) {
        & $upgradeTo $code
        $r = Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0'
        $r.changed | Should -BeTrue
        $r.rebootRequired | Should -BeTrue
        $r.exitCode | Should -Be $code
        $script:M.Registry['hklm:\software\snapready|rebootrequestedboottime'] | Should -Be $script:M.Os.lastBootUpTime
    }
    It 'throws a terminating, non-retryable error on 1603' {
        & $upgradeTo 1603
        $err = $null
        try { Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -BeLike '*1603*'
        $err.FullyQualifiedErrorId | Should -BeLike 'SrInstallerFailed*'
        $err.TargetObject.retryable | Should -BeFalse
    }
    It 'throws a retryable error on 1618' {
        & $upgradeTo 1618
        $err = $null
        try { Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' } catch { $err = $_ }
        $err.Exception.Message | Should -BeLike '*1618*'
        $err.TargetObject.retryable | Should -BeTrue
        $err.TargetObject.exitCode | Should -Be 1618
        $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
    }
    It 'honours custom exit code lists' {
        & $upgradeTo 42
        (Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' -SuccessExitCodes 0, 42).changed | Should -BeTrue
        $script:M.Products[0].displayVersion = '108.0.2'
        { Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' } | Should -Throw -ExpectedMessage '*unexpected code 42*'
    }
    It 'refuses a 32-bit agent installer on 64-bit Windows' {
        { Install-SrAgent -InstallerPath 'C:\stage\qemu-ga-i386.msi' -Kind msi -Version '109.0.0' } | Should -Throw -ExpectedMessage '*WOW64*'
        { Install-SrAgent -InstallerPath 'C:\stage\agent.msi' -Kind msi -Version '109.0.0' -Architecture x86 } | Should -Throw -ExpectedMessage '*32-bit*'
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 0 -Exactly
    }
    It 'reinstalls over a WOW64 agent even at the same version' {
        $script:M.Products[0].wow6432Node = $true
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) $script:M.Products[0].wow6432Node = $false; [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
        (Install-SrAgent -InstallerPath $msi -Kind msi -Version '108.0.2').changed | Should -BeTrue
    }
    It 'fails when the installer leaves another version' {
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
        { Install-SrAgent -InstallerPath $msi -Kind msi -Version '109.0.0' } | Should -Throw -ExpectedMessage "*not the desired '109.0.0'*"
    }
    It 'fails when the installer file is missing' {
        { Install-SrAgent -InstallerPath 'C:\stage\missing-x86_64.msi' -Kind msi -Version '109.0.0' } | Should -Throw -ExpectedMessage '*does not exist*'
    }
}

Describe 'Repair-SrAgent' {
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:M.Services.Remove('qemu-ga')
        # msiexec /fa recreates the service.
        $script:M.ProcessHandler = {
            param($FilePath, $ArgumentList)
            $script:M.Services['qemu-ga'] = @{ name = 'QEMU-GA'; displayName = 'QEMU Guest Agent'; status = 'Running'; startType = 'Automatic' }
            [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' }
        }
    }
    It 'repairs the installed product with msiexec /fa and its product code when its service is missing' {
        $r = Repair-SrAgent -LogPath 'C:\Windows\Temp\r.log'
        & $AssertResultShape $r
        $r.changed | Should -BeTrue
        $r.productCode | Should -Be '{11111111-2222-3333-4444-555555555555}'
        $script:M.Processes.Count | Should -Be 1
        $script:M.Processes[0].FilePath | Should -Be 'C:\Windows\system32\msiexec.exe'
        $script:M.Processes[0].ArgumentList | Should -Be @('/fa', '{11111111-2222-3333-4444-555555555555}', '/qn', '/norestart', '/L*V', 'C:\Windows\Temp\r.log')
    }
    It 'passes -TimeoutSeconds to Invoke-SrPlatformProcess (default 540) and validates it' {
        $null = Repair-SrAgent -TimeoutSeconds 2640
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 1 -Exactly -ParameterFilter { $TimeoutSeconds -eq 2640 }
        $script:M.Services.Remove('qemu-ga')
        $null = Repair-SrAgent
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 1 -Exactly -ParameterFilter { $TimeoutSeconds -eq 540 }
        { Repair-SrAgent -TimeoutSeconds 0 } | Should -Throw
    }
    It 'is a no-op when the agent service exists' {
        . $PSScriptRoot/Support/MockState.ps1
        (Repair-SrAgent).changed | Should -BeFalse
        $script:M.Processes.Count | Should -Be 0
    }
    It 'records a reboot request on 3010' {
        $script:M.ProcessHandler = {
            param($FilePath, $ArgumentList)
            $script:M.Services['qemu-ga'] = @{ name = 'QEMU-GA'; displayName = 'QEMU Guest Agent'; status = 'Stopped'; startType = 'Automatic' }
            [pscustomobject]@{ exitCode = 3010; stdout = ''; stderr = '' }
        }
        $r = Repair-SrAgent
        $r.rebootRequired | Should -BeTrue
        @($script:M.Writes | Where-Object Name -eq 'RebootRequestedBootTime').Count | Should -Be 1
    }
    It 'throws the retryable SrInstallerBusy on 1618' {
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 1618; stdout = ''; stderr = '' } }
        $e = { Repair-SrAgent } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrInstallerBusy*'
        $e.TargetObject.retryable | Should -BeTrue
    }
    It 'fails when the repair succeeds but the service is still missing' {
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
        $e = { Repair-SrAgent } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrAgentRepairFailed*'
        $e.Exception.Message | Should -BeLike '*still does not exist*'
    }
    It 'says that the repair needs the installer when the agent has no product code' {
        $script:M.Products = @([pscustomobject]@{ keyName = 'QEMU guest agent'; displayName = 'QEMU guest agent'; displayVersion = '108.0.2'; installLocation = ''; wow6432Node = $false })
        $script:M.Related = @()
        $e = { Repair-SrAgent } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrAgentRepairNeedsInstaller*'
        $e.Exception.Message | Should -BeLike '*needs its installer*'
        $script:M.Processes.Count | Should -Be 0
    }
    It 'refuses when no agent is installed' {
        $script:M.Products = @()
        $script:M.Related = @()
        { Repair-SrAgent } | Should -Throw -ErrorId 'SrAgentNotInstalled*'
    }
}

Describe 'Repair-SrVssProvider' {
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:Inproc = 'hklm:\software\classes\clsid\{6e6a3492-8d4d-440c-9619-5e5d0cc31ca8}\inprocserver32|(default)'
        $script:ProviderKey = 'hklm:\system\currentcontrolset\services\vss\providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}'
        # qemu-ga.exe as the facts describe it: vss-uninstall removes the COM+ app and the CLSID
        # (not a stale VSS Providers key), vss-install registers unless something is left.
        $script:M.ProcessHandler = {
            param($FilePath, $ArgumentList)
            if ($ArgumentList[1] -eq 'vss-uninstall') {
                $script:M.ComPlus = $null
                $script:M.Registry.Remove($script:Inproc)
            }
            if ($ArgumentList[1] -eq 'vss-install') {
                if ($null -ne $script:M.ComPlus) { return [pscustomobject]@{ exitCode = 1; stdout = 'QGA VSS Provider is already installed. (Error: 80004004) Operation aborted'; stderr = '' } }
                if ($script:M.Keys -contains $script:ProviderKey) { return [pscustomobject]@{ exitCode = 1; stdout = ''; stderr = 'Failed to register provider (Error: 80042304)' } }
                $script:M.ComPlus = [pscustomobject]@{ name = 'QEMU Guest Agent VSS Provider'; id = '{0}' }
                $script:M.Registry[$script:Inproc] = 'C:\Program Files\Qemu-ga\qga-vss.dll'
                $script:M.Keys = @($script:M.Keys) + @($script:ProviderKey)
            }
            [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' }
        }
    }
    It 'is a no-op when the registration is healthy' {
        $r = Repair-SrVssProvider
        & $AssertResultShape $r
        $r.changed | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 0 -Exactly
    }
    It 'unregisters and registers again when InprocServer32 points at a missing dll, each run limited to 120 s' {
        $script:M.Registry[$Inproc] = 'C:\Program Files\Qemu-ga\old\qga-vss.dll'
        $r = Repair-SrVssProvider
        $r.changed | Should -BeTrue
        $script:M.Processes.Count | Should -Be 2
        $script:M.Processes[0].ArgumentList | Should -Be @('-s', 'vss-uninstall')
        $script:M.Processes[1].ArgumentList | Should -Be @('-s', 'vss-install')
        $script:M.Processes[1].FilePath | Should -Be 'C:\Program Files\Qemu-ga\qemu-ga.exe'
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 2 -Exactly -ParameterFilter { $TimeoutSeconds -eq 120 }
    }
    It 'unregisters first even when nothing else is registered (unregistering never fails)' {
        $script:M.ComPlus = $null
        $script:M.Registry.Remove($Inproc)
        (Repair-SrVssProvider).changed | Should -BeTrue
        @($script:M.Processes | ForEach-Object { $_.ArgumentList[1] }) | Should -Be @('vss-uninstall', 'vss-install')
    }
    It 'removes a stale VSS Providers key, which vss-uninstall leaves and which blocks vss-install' {
        $script:M.ComPlus = $null
        $script:M.Registry.Remove($Inproc)
        $script:M.Keys = @($script:M.Keys) + @($ProviderKey)
        $r = Repair-SrVssProvider
        $r.changed | Should -BeTrue
        $r.actions | Should -Contain 'removed the VSS Providers key'
        Should -Invoke -ModuleName SnapReady.Guest Remove-SrPlatformRegistryKey -Times 1 -Exactly -ParameterFilter { $Path -eq 'HKLM:\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}' }
        $script:M.ComPlus | Should -Not -BeNullOrEmpty
    }
    It 'removes a COM+ application that vss-uninstall left behind before registering' {
        $script:M.Registry[$Inproc] = 'C:\old\qga-vss.dll'
        $script:M.ProcessHandler = {
            param($FilePath, $ArgumentList)
            if ($ArgumentList[1] -eq 'vss-install') {
                if ($null -ne $script:M.ComPlus) { return [pscustomobject]@{ exitCode = 1; stdout = 'QGA VSS Provider is already installed. (Error: 80004004) Operation aborted'; stderr = '' } }
                $script:M.ComPlus = [pscustomobject]@{ name = 'QEMU Guest Agent VSS Provider'; id = '{0}' }
                $script:M.Registry[$script:Inproc] = 'C:\Program Files\Qemu-ga\qga-vss.dll'
            }
            [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' }
        }
        $r = Repair-SrVssProvider
        $r.actions | Should -Contain 'removed the COM+ application'
        $r.actions[-1] | Should -Be 'vss-install exit 0'
    }
    It 'fails when the registration is still not healthy afterwards' {
        $script:M.Registry[$Inproc] = 'C:\old\qga-vss.dll'
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 1; stdout = 'QGA VSS Provider is already installed. (Error: 80004004) Operation aborted'; stderr = '' } }
        { Repair-SrVssProvider } | Should -Throw -ExpectedMessage '*still not healthy*'
    }
    It 'reports other vss-install failures with their output' {
        $script:M.ComPlus = $null
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 1; stdout = ''; stderr = 'Failed to lookup tlb' } }
        { Repair-SrVssProvider } | Should -Throw -ExpectedMessage '*Failed to lookup tlb*'
    }
    It 'passes on the retryable SrProcessTimeout of a vss-install stuck on its MessageBox' {
        $script:M.ComPlus = $null
        Mock -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -ParameterFilter { $ArgumentList[1] -eq 'vss-install' } {
            throw (& (Get-Module SnapReady.Guest) { New-SrErrorRecord -ErrorId 'SrProcessTimeout' -Category OperationTimeout -Retryable $true -Message 'did not exit within 120 s' })
        }
        $e = { Repair-SrVssProvider } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrProcessTimeout*'
        $e.TargetObject.retryable | Should -BeTrue
    }
    It 'refuses to repair blind when the COM+ catalog cannot be read' {
        Mock -ModuleName SnapReady.Guest Get-SrPlatformComPlusApplication { throw (& (Get-Module SnapReady.Guest) { New-SrErrorRecord -ErrorId 'SrComPlusCatalogUnavailable' -Category ResourceUnavailable -Message 'HRESULT 0x8007042C' }) }
        { Repair-SrVssProvider } | Should -Throw -ErrorId 'SrComPlusCatalogUnavailable*'
        $script:M.Processes.Count | Should -Be 0
    }
    Context 'without qemu-ga.exe' {
        BeforeEach {
            $script:M.Services.Remove('qemu-ga')
            $script:M.Files.Remove('c:\program files\qemu-ga\qemu-ga.exe')
        }
        It 'is a no-op when nothing is registered' {
            $script:M.ComPlus = $null
            $script:M.Registry.Remove($Inproc)
            (Repair-SrVssProvider).changed | Should -BeFalse
            $script:M.Processes.Count | Should -Be 0
        }
        It 'clears a stale registration directly when no qga-vss.dll is left, so that the agent MSI can install' {
            $script:M.Registry[$Inproc] = 'C:\Program Files\Qemu-ga\old\qga-vss.dll'
            $script:M.Files.Remove('c:\program files\qemu-ga\qga-vss.dll')
            $script:M.Keys = @($script:M.Keys) + @($ProviderKey)
            $r = Repair-SrVssProvider
            $r.changed | Should -BeTrue
            $script:M.Processes.Count | Should -Be 0
            $r.actions | Should -Be @('removed the COM+ application', 'removed the CLSID key', 'removed the VSS Providers key')
            $script:M.ComPlus | Should -BeNullOrEmpty
            $script:M.Registry.ContainsKey($Inproc) | Should -BeFalse
            $script:M.Keys | Should -Not -Contain $ProviderKey
        }
        It 'lets a qga-vss.dll that is still there unregister itself (rundll32 DLLCOMUnregister) first' {
            $script:M.Registry[$Inproc] = 'C:\old\qga-vss.dll'
            $script:M.Files['c:\old\qga-vss.dll'] = 'x'
            $script:M.ProcessHandler = { param($FilePath, $ArgumentList) $script:M.ComPlus = $null; $script:M.Registry.Remove($script:Inproc); [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
            $r = Repair-SrVssProvider
            $r.changed | Should -BeTrue
            $script:M.Processes.Count | Should -Be 1
            $script:M.Processes[0].FilePath | Should -Be 'C:\Windows\system32\rundll32.exe'
            $script:M.Processes[0].ArgumentList | Should -Be @('C:\old\qga-vss.dll,DLLCOMUnregister')
            $r.actions | Should -Not -Contain 'removed the COM+ application'
        }
    }
}

Describe 'Set-SrAgentService' {
    BeforeEach { . $PSScriptRoot/Support/MockState.ps1 }
    It 'is a no-op when Automatic and Running' {
        $r = Set-SrAgentService
        & $AssertResultShape $r
        $r.changed | Should -BeFalse
    }
    It 'sets Automatic and starts the service' {
        $script:M.Services['qemu-ga'].startType = 'Manual'
        $script:M.Services['qemu-ga'].status = 'Stopped'
        $r = Set-SrAgentService
        $r.changed | Should -BeTrue
        $script:M.Services['qemu-ga'].startType | Should -Be 'Automatic'
        $script:M.Services['qemu-ga'].status | Should -Be 'Running'
    }
    It 'accepts the lower-case qemu-ga service name' {
        $script:M.Services = @{ 'qemu-ga' = @{ name = 'qemu-ga'; displayName = 'QEMU Guest Agent'; status = 'Stopped'; startType = 'Automatic' } }
        Mock -ModuleName SnapReady.Guest Get-SrPlatformService { $null } -ParameterFilter { $Name -ceq 'QEMU-GA' }
        (Set-SrAgentService).name | Should -Be 'qemu-ga'
    }
    It 'fails clearly when the service cannot start or is missing' {
        $script:M.Services['qemu-ga'].status = 'Stopped'
        $script:M.StartFails = $true
        { Set-SrAgentService } | Should -Throw -ExpectedMessage "*could not be started*"
        $script:M.Services.Remove('qemu-ga')
        { Set-SrAgentService } | Should -Throw -ExpectedMessage '*does not exist*'
    }
}

Describe 'Set-SrVssOption' {
    BeforeEach { . $PSScriptRoot/Support/MockState.ps1 }
    It 'writes the DWORD and is a no-op when equal' {
        $r = Set-SrVssOption -Value 5
        & $AssertResultShape $r
        $r.changed | Should -BeTrue
        $r.previousValue | Should -Be 1
        $script:M.Writes[0].Type | Should -Be 'DWord'
        $script:M.Writes[0].Path | Should -Be 'HKLM:\SYSTEM\CurrentControlSet\Services\QEMU Guest Agent VSS Provider'
        (Set-SrVssOption -Value 5).changed | Should -BeFalse
    }
    It 'rejects values outside 1..5' {
        { Set-SrVssOption -Value 0 } | Should -Throw
        { Set-SrVssOption -Value 6 } | Should -Throw
    }
    It 'fails when the VSS provider service key is missing' {
        $script:M.Keys = @()
        { Set-SrVssOption -Value 5 } | Should -Throw -ExpectedMessage '*not installed*'
    }
}

Describe 'Disable-SrAgentLogging' {
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:imageKey = 'hklm:\system\currentcontrolset\services\qemu-ga|imagepath'
    }
    It 'is a no-op and does not restart when logging is off' {
        $r = Disable-SrAgentLogging
        & $AssertResultShape $r
        $r.changed | Should -BeFalse
        $script:M.Restarts.Count | Should -Be 0
    }
    It 'removes <case> from the ImagePath and restarts once' -ForEach @(
        @{ case = '-l X -v'; image = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path -l C:\qga.log -v' }
        @{ case = '--logfile X --verbose'; image = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --logfile C:\qga.log --retry-path --verbose' }
        @{ case = '--logfile=X'; image = '"C:\Program Files\Qemu-ga\qemu-ga.exe" --logfile=C:\qga.log -d --retry-path' }
        @{ case = 'quoted -l'; image = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -l "C:\log dir\qga.log" --retry-path' }
    ) {
        $script:M.Registry[$imageKey] = $image
        $r = Disable-SrAgentLogging
        $r.changed | Should -BeTrue
        $r.imagePathChanged | Should -BeTrue
        $script:M.Registry[$imageKey] | Should -BeExactly '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'
        $script:M.Writes[0].Type | Should -Be 'ExpandString'
        $script:M.Restarts | Should -Be @('QEMU-GA')
    }
    It 'cleans the conf file and keeps other settings' {
        $script:M.Content['c:\program files\qemu-ga\qemu-ga.conf'] = @('[general]', 'logfile=C:\qga.log', 'verbose=true', 'retry-path=true')
        $r = Disable-SrAgentLogging
        $r.confChanged | Should -BeTrue
        $script:M.Content['c:\program files\qemu-ga\qemu-ga.conf'] | Should -Be @('[general]', 'retry-path=true')
        (Disable-SrAgentLogging).changed | Should -BeFalse
    }
    It 'uses -ConfPath and does not restart a stopped service' {
        $script:M.Services['qemu-ga'].status = 'Stopped'
        $script:M.Content['d:\conf\qga.conf'] = @('[general]', 'verbose=1')
        $r = Disable-SrAgentLogging -ConfPath 'D:\conf\qga.conf'
        $r.changed | Should -BeTrue
        $r.restarted | Should -BeFalse
    }
}

Describe 'Install-SrVioSerialDriver' {
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:unbound = { $script:M.Devices = @([pscustomobject]@{ instanceId = 'PCI\VEN_1AF4&DEV_1043\1'; hardwareId = 'PCI\VEN_1AF4&DEV_1043'; status = 'Error'; driverVersion = $null; driverProvider = $null; infName = $null }) }
    }
    It 'is a no-op when a device is bound' {
        $r = Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf'
        & $AssertResultShape $r
        $r.changed | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformProcess -Times 0 -Exactly
    }
    It 'runs pnputil /add-driver INF /install for an unbound device' {
        & $unbound
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) $script:M.Devices[0].status = 'OK'; $script:M.Devices[0].infName = 'oem3.inf'; [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
        $r = Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf'
        $r.changed | Should -BeTrue
        $script:M.Processes[0].FilePath | Should -Be 'C:\Windows\system32\pnputil.exe'
        $script:M.Processes[0].ArgumentList | Should -Be @('/add-driver', 'D:\vioserial\vioser.inf', '/install')
    }
    It 'maps pnputil 3010 to rebootRequired' {
        & $unbound
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 3010; stdout = ''; stderr = '' } }
        $r = Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf'
        $r.rebootRequired | Should -BeTrue
        $script:M.Registry['hklm:\software\snapready|rebootrequestedreason'] | Should -Be 'pnputil exit code 3010'
    }
    It 'fails clearly without a virtio-serial device' {
        $script:M.Devices = @()
        { Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf' } | Should -Throw -ExpectedMessage '*hypervisor exposes no virtio-serial*'
    }
    It 'uses the legacy pnputil -i -a INF before build 14393 (Server 2012 R2), which has no /add-driver' {
        & $unbound
        $script:M.Os = [pscustomobject]@{ version = '6.3.9600'; build = 9600; architecture = 'x64'; lastBootUpTime = '2025-01-01T01:00:00.0000000Z'; systemDirectory = 'C:\Windows\system32'; systemDrive = 'C:' }
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) $script:M.Devices[0].status = 'OK'; $script:M.Devices[0].infName = 'oem3.inf'; [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
        (Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf').changed | Should -BeTrue
        $script:M.Processes[0].ArgumentList | Should -Be @('-i', '-a', 'D:\vioserial\vioser.inf')
    }
    It 'uses /add-driver from build 14393 (Server 2016) on' {
        & $unbound
        $script:M.Os.build = 14393
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) $script:M.Devices[0].status = 'OK'; $script:M.Devices[0].infName = 'oem3.inf'; [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
        $null = Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf'
        $script:M.Processes[0].ArgumentList[0] | Should -Be '/add-driver'
    }
    It 'lets the device state decide: exit 259 with the device bound afterwards is success' {
        & $unbound
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) $script:M.Devices[0].status = 'OK'; $script:M.Devices[0].infName = 'oem3.inf'; [pscustomobject]@{ exitCode = 259; stdout = ''; stderr = '' } }
        $r = Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf'
        $r.changed | Should -BeTrue
        $r.exitCode | Should -Be 259
    }
    It 'exit 259 with the device still unbound says that the INF does not match this Windows' {
        & $unbound
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 259; stdout = ''; stderr = '' } }
        $e = { Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf' } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrDriverInfNotApplicable*'
        $e.Exception.Message | Should -BeLike '*does not match this device or this Windows version (build 17763, x64)*'
        $e.TargetObject.exitCode | Should -Be 259
    }
    It 'fails on other pnputil exit codes' {
        & $unbound
        $script:M.ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 1; stdout = 'publisher'; stderr = '' } }
        { Install-SrVioSerialDriver -InfPath 'D:\vioserial\vioser.inf' } | Should -Throw -ExpectedMessage '*exit code 1*'
    }
}

Describe 'Set-SrMarker' {
    BeforeEach { . $PSScriptRoot/Support/MockState.ps1 }
    It 'writes hash, generation and appliedAt, then is a no-op' {
        $r = Set-SrMarker -DesiredStateHash 'sha256:abc' -DriftGeneration 3
        & $AssertResultShape $r
        $r.changed | Should -BeTrue
        $script:M.Registry['hklm:\software\snapready|driftgeneration'] | Should -Be 3
        $applied = $script:M.Registry['hklm:\software\snapready|appliedat']
        $applied | Should -Not -BeNullOrEmpty
        $again = Set-SrMarker -DesiredStateHash 'sha256:abc' -DriftGeneration 3
        $again.changed | Should -BeFalse
        $script:M.Registry['hklm:\software\snapready|appliedat'] | Should -Be $applied
        (Set-SrMarker -DesiredStateHash 'sha256:abc' -DriftGeneration 4).changed | Should -BeTrue
    }
}

Describe 'Request-SrReboot' {
    BeforeEach { . $PSScriptRoot/Support/MockState.ps1 }
    It 'records the request and restarts' {
        $r = Request-SrReboot -Reason 'test'
        & $AssertResultShape $r
        $r.changed | Should -BeTrue
        $r.rebootRequired | Should -BeTrue
        $script:M.Reboots | Should -Be 1
        $script:M.Registry['hklm:\software\snapready|rebootrequestedreason'] | Should -Be 'test'
    }
    It 'does nothing under -WhatIf' {
        (Request-SrReboot -WhatIf).changed | Should -BeFalse
        $script:M.Reboots | Should -Be 0
    }
}
