# WinRM from the runner: the capabilities op (does this pwsh have a working
# WSMan client?) and the winrm connect request's authentication field, down
# to New-PSSession -Authentication (mocked: there is no WinRM guest here).
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:GuestPath = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
    Import-Module (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
    $script:Send = {
        param($Object)
        $out = @(Invoke-SrHostRequest -RequestBase64 (& $ToB64 $Object))
        $out.Count | Should -Be 1
        $out[0] | Should -Not -Match '[\r\n]'
        $out[0] | ConvertFrom-Json
    }
    $script:WinRM = {
        param([hashtable] $Extra = @{}, [string[]] $Without = @())
        $r = @{
            op = 'connect'; id = 'win01'; transport = 'winrm'; guestModulePath = $GuestPath; pinnedGuestCodeHash = ('a' * 64); timeoutMs = 60000
            host = 'win01.corp.example.com'; port = 5986; https = $true; skipCertCheck = $false; authentication = 'negotiate'; usernameEnv = 'SR_WINRM_TEST_USER'; passwordEnv = 'SR_WINRM_TEST_PASSWORD'
        }
        foreach ($k in $Extra.Keys) { $r[$k] = $Extra[$k] }
        foreach ($k in $Without) { $r.Remove($k) }
        $r
    }
    $script:Parse = { param($Request) & (Get-Module SnapReady.Host) { param($b64) ConvertFrom-SrHostRequest -RequestBase64 $b64 } (& $ToB64 $Request) }
}

Describe 'capabilities op: is there a WSMan client in this pwsh?' {
    It 'on this runner without a WSMan client (Linux/macOS pwsh 7, no PSWSMan): unavailable, with a reason naming the missing library' -Skip:$IsWindows {
        $a = & $Send @{ op = 'capabilities' }
        $a.ok | Should -BeTrue
        $a.result.wsman.available | Should -BeFalse
        $a.result.wsman.reason | Should -Match 'no working WSMan client'
        $a.result.wsman.reason | Should -Match 'System\.DllNotFoundException'
    }
    It 'the real probe judges by exception type: the library does not load here (DllNotFoundException), within the time limit' -Skip:$IsWindows {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $probe = & (Get-Module SnapReady.Host) { Invoke-SrHostWSManProbe -TimeoutMilliseconds 10000 }
        $watch.Stop()
        $probe.clientLoaded | Should -BeFalse
        $probe.exceptionType | Should -BeExactly 'System.DllNotFoundException'
        $watch.ElapsedMilliseconds | Should -BeLessThan 10000
    }
    It 'simulated: a WSMan client that loads (PSWSMan installed) is reported available' {
        Mock -ModuleName SnapReady.Host Invoke-SrHostWSManProbe { [ordered]@{ clientLoaded = $true; exceptionType = 'System.Management.Automation.Remoting.PSRemotingTransportException' } }
        $a = & $Send @{ op = 'capabilities' }
        $a.ok | Should -BeTrue
        $a.result.wsman.available | Should -BeTrue
        $a.result.wsman.reason | Should -Not -BeNullOrEmpty
        if (-not $IsWindows) { Should -Invoke -ModuleName SnapReady.Host Invoke-SrHostWSManProbe -Times 1 -Exactly }
    }
    It 'simulated: PSWSMan installed but Install-WSMan not run: the reason says to run it as root' -Skip:$IsWindows {
        Mock -ModuleName SnapReady.Host Invoke-SrHostWSManProbe { [ordered]@{ clientLoaded = $false; exceptionType = 'System.DllNotFoundException' } }
        Mock -ModuleName SnapReady.Host Get-Module { [pscustomobject]@{ Name = 'PSWSMan'; Version = [version]'2.3.1' } } -ParameterFilter { $ListAvailable -and $Name -eq 'PSWSMan' }
        $a = & $Send @{ op = 'capabilities' }
        $a.result.wsman.available | Should -BeFalse
        $a.result.wsman.reason | Should -Match 'Install-WSMan as root'
    }
    It 'is a known op: the unknown-op message lists it' {
        $a = & $Send @{ op = 'nope' }
        $a.error.errorId | Should -BeExactly 'SrHostUnknownOp'
        $a.error.message | Should -Match 'capabilities'
    }
}

Describe 'winrm connect: authentication' {
    BeforeAll {
        $env:SR_WINRM_TEST_USER = 'Administrator'
        $env:SR_WINRM_TEST_PASSWORD = 'S3ntinel-' + [guid]::NewGuid().ToString('N')
    }
    AfterAll {
        Remove-Item Env:SR_WINRM_TEST_USER, Env:SR_WINRM_TEST_PASSWORD -ErrorAction SilentlyContinue
    }
    It 'is required: a winrm request without it is refused (the host fills in no default)' {
        $a = & $Send (& $WinRM @{} @('authentication'))
        $a.ok | Should -BeFalse
        $a.error.category | Should -BeExactly 'protocol'
        $a.error.errorId | Should -BeExactly 'SrHostFieldMissing'
        $a.error.message | Should -BeExactly 'The request field "authentication" is missing.'
    }
    It 'refuses <value> (only negotiate, kerberos, basic, lower case)' -ForEach @(
        @{ value = 'ntlm' }
        @{ value = 'Negotiate' }
        @{ value = 'credssp' }
        @{ value = 5 }
    ) {
        $a = & $Send (& $WinRM @{ authentication = $value })
        $a.ok | Should -BeFalse
        $a.error.errorId | Should -BeExactly 'SrHostFieldInvalid'
        $a.error.message | Should -BeLike '*"authentication"*'
    }
    It 'refuses basic over http (the password would cross in clear text)' {
        $a = & $Send (& $WinRM @{ authentication = 'basic'; https = $false; port = 5985 })
        $a.error.errorId | Should -BeExactly 'SrHostFieldInvalid'
        $a.error.message | Should -BeLike '*"authentication" is basic, which needs https*'
    }
    It 'is not a field of the other transports' {
        $parsed = & $Parse @{ op = 'connect'; id = 'l'; transport = 'local'; guestModulePath = $GuestPath; pinnedGuestCodeHash = ('a' * 64); timeoutMs = 1000; authentication = 'bogus' }
        $parsed.Contains('authentication') | Should -BeFalse
    }
    It 'New-SrHostSession passes -Authentication <expected> for <value>' -ForEach @(
        @{ value = 'negotiate'; expected = 'Negotiate'; https = $true }
        @{ value = 'kerberos'; expected = 'Kerberos'; https = $false }
        @{ value = 'basic'; expected = 'Basic'; https = $true }
    ) {
        Mock -ModuleName SnapReady.Host New-PSSession { [pscustomobject]@{ State = 'Opened'; Id = 7 } }
        $request = & $Parse (& $WinRM @{ authentication = $value; https = $https })
        $session = & (Get-Module SnapReady.Host) { param($r) New-SrHostSession -Request $r } $request
        $session.Id | Should -Be 7
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter {
            $Authentication -eq $expected -and $ComputerName -eq 'win01.corp.example.com' -and $Credential.UserName -eq 'Administrator' -and [bool]$UseSSL -eq $https
        }
    }
}
