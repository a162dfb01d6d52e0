# SnapReady.Lab: a simulated Windows guest for testing SnapReady.Guest.
#
# It implements SnapReady.Guest's private platform layer over ONE JSON state
# file per guest. It is test infrastructure: production code never imports
# it. Enable-SrLab switches an already imported SnapReady.Guest to the lab by
# an explicit call into that module's scope.

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:LabStatePath = $null

# The last state read with Read-SrLabState -Shared: path, parse mode, text and parsed state.
$script:SrLabStateCache = $null

# ConvertFrom-Json -DateKind exists from PowerShell 7.5; ConvertFrom-SrLabJson
# parses with System.Text.Json on older 7.x so that dates stay strings.
$script:SrLabJsonDateKind = (Get-Command -Name 'ConvertFrom-Json').Parameters.ContainsKey('DateKind')

foreach ($folder in @('Private', 'Public')) {
    $folderPath = Join-Path -Path $PSScriptRoot -ChildPath $folder
    foreach ($file in @(Get-ChildItem -LiteralPath $folderPath -Filter '*.ps1' -File | Sort-Object Name)) {
        . $file.FullName
    }
}

Export-ModuleMember -Function @(Get-ChildItem -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath 'Public') -Filter '*.ps1' -File |
        ForEach-Object { $_.BaseName })
