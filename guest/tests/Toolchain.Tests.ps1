# Smoke test of the guest-side toolchain: the pinned PowerShell and Pester
# versions are the ones CI restores, and strict mode behaves as the guest
# module expects.
Describe 'Guest toolchain' {
    It 'runs on PowerShell 7.6' {
        $PSVersionTable.PSVersion.Major | Should -Be 7
        $PSVersionTable.PSVersion.Minor | Should -BeGreaterOrEqual 6
    }

    It 'runs Pester 5' {
        (Get-Module Pester).Version.Major | Should -Be 5
    }

    It 'round-trips base64 JSON without evaluating it' {
        $canary = Join-Path ([IO.Path]::GetTempPath()) ("sr-canary-" + [guid]::NewGuid())
        $hostile = "`$(New-Item -ItemType File -Path '$canary')"
        $json = @{ value = $hostile } | ConvertTo-Json -Compress
        $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json))
        $decoded = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b64)) | ConvertFrom-Json
        $decoded.value | Should -BeExactly $hostile
        Test-Path $canary | Should -BeFalse
    }
}
