<#
.SYNOPSIS
    Creates simulated lab guests for `snapready lab up`.

.DESCRIPTION
    Reads its whole request as base64-encoded UTF-8 JSON (an inert channel:
    nothing in it is evaluated) of the form
    { "guests": [ { "name", "statePath", "faults": [..], "rebootDelaySeconds", "installDelaySeconds",
    "os" (2012r2|2016|2019|2022|2025|win10|win11), "locale" (en-US|ja-JP) } ] }
    (os and locale optional: New-SrLabGuest validates them),
    creates each guest with New-SrLabGuest (guest/lab/SnapReady.Lab) and
    writes one line of compressed JSON: { "guests": [ <New-SrLabGuest output> ] }.
    The lab is a test and teaching tool; production code never loads it.

.PARAMETER RequestBase64
    The request, base64-encoded UTF-8 JSON.

.EXAMPLE
    pwsh -NoProfile -File scripts/lab-up.ps1 -RequestBase64 eyJndWVzdHMiOltdfQ==
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidatePattern('^[A-Za-z0-9+/]*={0,2}$')]
    [string] $RequestBase64
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot '..' 'guest' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
$request = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($RequestBase64)) | ConvertFrom-Json
$created = foreach ($guest in @($request.guests)) {
    $parameters = @{ Path = [string]$guest.statePath }
    $faults = @($guest.faults | Where-Object { $_ })
    if ($faults.Count -gt 0) { $parameters['Fault'] = [string[]]$faults }
    if ($null -ne $guest.PSObject.Properties['rebootDelaySeconds'] -and [int]$guest.rebootDelaySeconds -gt 0) {
        $parameters['RebootDelaySeconds'] = [int]$guest.rebootDelaySeconds
    }
    if ($null -ne $guest.PSObject.Properties['installDelaySeconds'] -and [int]$guest.installDelaySeconds -gt 0) {
        $parameters['InstallDelaySeconds'] = [int]$guest.installDelaySeconds
    }
    foreach ($option in @(@{ field = 'os'; parameter = 'Os' }, @{ field = 'locale'; parameter = 'Locale' })) {
        if ($null -ne $guest.PSObject.Properties[$option.field] -and -not [string]::IsNullOrEmpty([string]$guest.($option.field))) {
            $parameters[$option.parameter] = [string]$guest.($option.field)
        }
    }
    $info = New-SrLabGuest @parameters
    $info | Add-Member -NotePropertyName name -NotePropertyValue ([string]$guest.name) -PassThru
}
@{ guests = @($created) } | ConvertTo-Json -Depth 10 -Compress
