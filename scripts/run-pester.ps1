<#
.SYNOPSIS
    Runs the Pester suites of the guest and host modules and writes a
    machine-readable summary.

.DESCRIPTION
    Imports Pester by path from .tools/nuget (restored by
    tools/pester/pester.csproj), runs every *.Tests.ps1 below guest/tests
    (SnapReady.Guest, its lab and the standards of both modules) and
    host/tests (SnapReady.Host, including SSH remoting over a loopback sshd)
    and writes { passed, failed, skipped, total } as JSON to -ResultPath so
    that scripts/test.mjs can add the counts to jest's. A run that finds no
    tests is a failure.

.PARAMETER ResultPath
    Where the JSON summary is written.

.PARAMETER Path
    Test files or folders to run. Defaults to guest/tests and host/tests.
    A comma-separated list is accepted too, because pwsh -File passes
    "a,b" as one string.

.EXAMPLE
    dotnet tool run pwsh -NoProfile -File scripts/run-pester.ps1 -ResultPath .test-results/pester.json

.EXAMPLE
    dotnet tool run pwsh -NoProfile -File scripts/run-pester.ps1 -ResultPath /tmp/p.json -Path guest/tests/Primitives.Tests.ps1,host/tests
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ResultPath,

    [string[]] $Path = @((Join-Path $PSScriptRoot '..' 'guest' 'tests'), (Join-Path $PSScriptRoot '..' 'host' 'tests'))
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$repoRoot = Resolve-Path (Join-Path $PSScriptRoot '..')
$pesterManifest = Get-ChildItem -Path (Join-Path $repoRoot '.tools' 'nuget' 'pester') -Filter 'Pester.psd1' -Recurse |
    Sort-Object FullName -Descending |
    Select-Object -First 1
if ($null -eq $pesterManifest) {
    throw "Pester is not restored: run 'dotnet restore tools/pester/pester.csproj' first"
}
Import-Module $pesterManifest.FullName -Force

$config = New-PesterConfiguration
$config.Run.Path = [string[]]@($Path | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = if ($env:CI) { 'Normal' } else { 'Normal' }
$result = Invoke-Pester -Configuration $config

$summary = [ordered]@{
    passed  = $result.PassedCount
    failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    skipped = $result.SkippedCount + $result.NotRunCount
    total   = $result.TotalCount
}
$dir = Split-Path -Parent $ResultPath
if ($dir -and -not (Test-Path $dir)) { New-Item -ItemType Directory -Path $dir | Out-Null }
$summary | ConvertTo-Json | Set-Content -Path $ResultPath -Encoding utf8

# Environment.Exit, not exit: a runspace a test left behind (a host slot or a
# copy runspace still waiting on a frozen session) keeps a foreground
# pipeline thread, and `exit` would wait for it after the summary is written.
# The summary above is the result; nothing else is left to do.
[System.Environment]::Exit($(if ($summary.failed -gt 0 -or $summary.passed -eq 0) { 1 } else { 0 }))
