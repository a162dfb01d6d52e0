<#
.SYNOPSIS
    Baseline for the drift benchmark: one pwsh collecting facts from lab
    guests with ForEach-Object -Parallel.

.DESCRIPTION
    Reads base64 JSON { "statePaths": [...], "throttle": 10, "thumbprint": "..." }
    and collects Get-SrGuestFact from every lab guest, ThrottleLimit at a
    time, the plainest way PowerShell offers. Writes one line of JSON:
    { "guests": N, "ms": wall time }. It does no assessment and no reporting.

.PARAMETER RequestBase64
    The request, base64-encoded UTF-8 JSON.

.EXAMPLE
    pwsh -NoProfile -File bench/drift-baseline.ps1 -RequestBase64 <base64>
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidatePattern('^[A-Za-z0-9+/]*={0,2}$')]
    [string] $RequestBase64
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$request = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($RequestBase64)) | ConvertFrom-Json
$guestModule = Join-Path $PSScriptRoot '..' 'guest' 'SnapReady.Guest' 'SnapReady.Guest.psd1'
$labModule = Join-Path $PSScriptRoot '..' 'guest' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1'
$thumbprint = [string]$request.thumbprint
$watch = [Diagnostics.Stopwatch]::StartNew()
$facts = @($request.statePaths) | ForEach-Object -ThrottleLimit ([int]$request.throttle) -Parallel {
    Import-Module $using:guestModule
    Import-Module $using:labModule
    Enable-SrLab -StatePath $_
    Get-SrGuestFact -PinnedThumbprint $using:thumbprint | ConvertTo-Json -Depth 10 -Compress
}
$watch.Stop()
@{ guests = @($facts).Count; ms = $watch.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
