<#
.SYNOPSIS
    Changes or reads a simulated lab guest, for tests and the walk-through.

.DESCRIPTION
    Reads its request as base64-encoded UTF-8 JSON (an inert channel: nothing
    in it is evaluated) and calls one lab function with the request's values
    bound as parameters:
    - { "op": "drift", "statePath", "stopAgentService", "addImagePathLogging", "confLogging", "vssOption", "pendingReboot" }
      -> Invoke-SrLabDrift (a person changing the guest behind snapready's back)
    - { "op": "fault", "statePath", "fault": [..], "remove": true|false } -> Set-SrLabFault
    - { "op": "state", "statePath" } -> Get-SrLabState
    Writes one line of compressed JSON: { "ok": true, "result": ... }.

.PARAMETER RequestBase64
    The request, base64-encoded UTF-8 JSON.

.EXAMPLE
    pwsh -NoProfile -File scripts/lab-ctl.ps1 -RequestBase64 <base64>
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
$has = { param($name) $null -ne $request.PSObject.Properties[$name] -and $null -ne $request.$name }
$result = $null
switch ([string]$request.op) {
    'drift' {
        $parameters = @{ StatePath = [string]$request.statePath }
        foreach ($switchName in 'StopAgentService', 'ManualStart', 'AddImagePathLogging', 'ConfLogging', 'PendingReboot') {
            $key = $switchName.Substring(0, 1).ToLowerInvariant() + $switchName.Substring(1)
            if ((& $has $key) -and [bool]$request.$key) { $parameters[$switchName] = $true }
        }
        if (& $has 'vssOption') { $parameters['VssOption'] = [int]$request.vssOption }
        Invoke-SrLabDrift @parameters
    }
    'fault' {
        $parameters = @{ StatePath = [string]$request.statePath; Fault = [string[]]@($request.fault) }
        if ((& $has 'remove') -and [bool]$request.remove) { $parameters['Remove'] = $true }
        Set-SrLabFault @parameters
    }
    'state' {
        $result = Get-SrLabState -StatePath ([string]$request.statePath)
    }
    default {
        throw ("Unknown op '{0}': use drift, fault or state." -f [string]$request.op)
    }
}
@{ ok = $true; result = $result } | ConvertTo-Json -Depth 20 -Compress
