# .NET API gate (Support/NetApiScanner.ps1): the guest module runs on Windows
# PowerShell 5.1, that is on .NET Framework 4.5+ (Server 2012 R2 ships 4.5.1),
# so every .NET type and static member it names must exist there, and every
# PowerShell API type in PowerShell 5.1. Compat51.Tests.ps1 gates the language
# and cmdlets; this file gates the .NET API, against the metadata of the
# reference assemblies that tools/netref/netref.csproj restores into
# .tools/nuget (Microsoft.NETFramework.ReferenceAssemblies.net45,
# PowerShellStandard.Library).
#
# Without those packages: on CI (CI=true) every test here FAILS, naming the
# restore command; elsewhere the file is skipped with one warning line saying
# what to run.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Support' 'NetApiScanner.ps1')
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $onCi = [string]$env:CI -match '^(1|true|yes)$'
    $problem = (Get-SrNetRefAssemblyPath -RepoRoot $repoRoot).Problem
    $script:SkipGate = $null -ne $problem -and -not $onCi
    if ($SkipGate) { Write-Warning "skipped: NetFramework45.Tests.ps1: $problem" }
}

Describe 'The .NET Framework 4.5 / PowerShell 5.1 API gate' -Skip:$SkipGate {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Support' 'NetApiScanner.ps1')
        $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
        $reference = Get-SrNetRefAssemblyPath -RepoRoot $RepoRoot
        if ($null -ne $reference.Problem) { throw "required on CI: $($reference.Problem); .ci/run must restore it" }
        $script:Index = New-SrNetRefIndex -Path $reference.Paths
        $script:Format = { param($Finding) '{0}:{1}: [{2}] {3}: {4}' -f $Finding.file, $Finding.line, $Finding.type, $Finding.member, $Finding.problem }
    }
    AfterAll {
        if ($null -ne (Get-Variable -Name Index -Scope Script -ErrorAction SilentlyContinue)) { foreach ($reader in $Index.Readers) { $reader.Dispose() } }
    }

    It 'reads the reference assemblies (required on CI)' {
        $Index.Types.ContainsKey('System.Object') | Should -BeTrue
        $Index.Types.ContainsKey('System.Management.Automation.PSObject') | Should -BeTrue
        $Index.Types.ContainsKey('System.Environment+SpecialFolder') | Should -BeTrue -Because 'nested types are indexed as Outer+Inner'
        # .NET Framework 4.5 has no ValueTuple (4.7) and 5.1's PowerShell no SemanticVersion (6.0).
        $Index.Types.ContainsKey('System.ValueTuple') | Should -BeFalse
        $Index.Types.ContainsKey('System.Management.Automation.SemanticVersion') | Should -BeFalse
    }

    It 'has a Windows PowerShell 5.1 accelerator table whose types exist there and agree with pwsh''s' {
        $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get
        $wrong = foreach ($name in $SrNet51Accelerators.Keys)
        {
            $fullName = $SrNet51Accelerators[$name]
            $inIndex = $Index.Types.ContainsKey($fullName)
            $unindexed = @($SrNetUnindexedAssemblies | Where-Object { $fullName.StartsWith($_) }).Count -gt 0
            if ($inIndex -eq $unindexed) { "[$name] $fullName (indexed: $inIndex)" }
            if ($accelerators.ContainsKey($name) -and $accelerators[$name].FullName -ne $fullName) { "[$name] is $($accelerators[$name].FullName) in pwsh" }
        }
        @($wrong) | Should -BeNullOrEmpty
    }

    It 'reports exactly the planted examples of Support/NetFramework45.Planted.ps1, by line' {
        $planted = Join-Path $PSScriptRoot 'Support' 'NetFramework45.Planted.ps1'
        $lines = @(Get-Content -LiteralPath $planted)
        # Each "# bad:" comment marks the line below it.
        $expectedLines = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^# bad:') { $i + 2 } })
        $found = @(Find-SrNetApiIssue -Path $planted -Index $Index)
        @($found | ForEach-Object { '{0}|{1}|{2}' -f $_.line, $_.type, $_.member }) | Should -Be @(
            "$($expectedLines[0])|System.IO.Path|GetRelativePath"
            "$($expectedLines[1])|System.Runtime.InteropServices.RuntimeInformation|"
            "$($expectedLines[2])|System.Text.Json.JsonSerializer|"
            "$($expectedLines[3])|System.Management.Automation.Internal.SomethingNew|"
            "$($expectedLines[4])|string|Compare"
            "$($expectedLines[5])|System.Text.StringBuilder|new"
            "$($expectedLines[6])|semver|"
            "$($expectedLines[7])|ValidateRange|new"
        )
        $expectedLines.Count | Should -Be 8
        $found[6].problem | Should -Match 'only in PowerShell 6\+'
        $found[4].problem | Should -Be 'no overload of System.String::Compare takes 1 argument(s)'
    }

    It 'accepts the types a script defines with Add-Type and checks their public static methods' {
        $script = @'
$source = @"
namespace Planted.Native { public static class Reader { public static int Read(uint milliseconds, params string[] names) { return 0; } } }
"@
Add-Type -TypeDefinition $source
[Planted.Native.Reader]::Read(1)
[Planted.Native.Reader]::Read(1, 'a', 'b')
[Planted.Native.Reader]::Read()
[Planted.Native.Reader]::Write(1)
'@
        @(Find-SrNetApiIssue -Script $script -Index $Index | ForEach-Object { '{0}|{1}' -f $_.line, $_.member }) | Should -Be @('7|Read', '8|Write')
    }

    It 'resolves names as PowerShell does: "System." prefix, using namespace, generic and array types, attributes' {
        $script = @'
using namespace System.Security.Cryptography.X509Certificates
[Environment]::MachineName
[X509Store]::new('My', 'LocalMachine') | Out-Null
[System.Collections.Generic.Dictionary[string, System.Text.Json.JsonElement]] $a = $null
[System.Collections.Generic.List[int][]] $b = $null
function f { [Diagnostics.CodeAnalysis.SuppressMessage('a', 'b', Justification = 'c', Nonsense = 'd')] param() }
'@
        @(Find-SrNetApiIssue -Script $script -Index $Index | ForEach-Object { '{0}|{1}|{2}' -f $_.line, $_.type, $_.member }) | Should -Be @(
            '4|System.Collections.Generic.Dictionary[string,System.Text.Json.JsonElement]|'
            '6|Diagnostics.CodeAnalysis.SuppressMessage|Nonsense'
        )
    }

    It 'finds nothing in SnapReady.Guest (every .ps1 and .psm1)' {
        $moduleRoot = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
        $files = @(Get-ChildItem -LiteralPath $moduleRoot -Recurse -Include '*.ps1', '*.psm1' -File | ForEach-Object FullName)
        $files.Count | Should -BeGreaterThan 50
        $findings = @(Find-SrNetApiIssue -Path $files -Index $Index | ForEach-Object { & $Format $_ })
        $findings | ForEach-Object { $_.Substring($moduleRoot.Length + 1) } | Should -BeNullOrEmpty
    }
}
