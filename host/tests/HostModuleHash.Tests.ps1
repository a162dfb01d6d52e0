# The host module caches guest-module hashes per folder; a change to any
# file must still change the hash (the cache is keyed by a file fingerprint).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
}

Describe 'Get-SrHostModuleHash cache' {
    It 'returns the same hash twice and a new one after a file changes' {
        $copy = Join-Path $TestDrive 'SnapReady.Guest'
        Copy-Item -Path (Join-Path $PSScriptRoot '..' '..' 'guest' 'SnapReady.Guest') -Destination $copy -Recurse
        $first = InModuleScope SnapReady.Host -Parameters @{ Path = $copy } { param($Path) Get-SrHostModuleHash -Path $Path }
        $again = InModuleScope SnapReady.Host -Parameters @{ Path = $copy } { param($Path) Get-SrHostModuleHash -Path $Path }
        $again | Should -Be $first
        $file = Join-Path $copy 'SnapReady.Guest.psm1'
        Add-Content -LiteralPath $file -Value '# changed'
        $changed = InModuleScope SnapReady.Host -Parameters @{ Path = $copy } { param($Path) Get-SrHostModuleHash -Path $Path }
        $changed | Should -Not -Be $first
        $changed | Should -Match '^[0-9a-f]{64}$'
    }
}
