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

# Every function file, each folder in ordinal name order, with .NET calls
# rather than cmdlet pipelines (faster to import). Each file only defines
# its function, so the order is a matter of reproducibility.
$publicFunctions = [System.Collections.Generic.List[string]]::new()
foreach ($folder in @('Private', 'Public')) {
    $files = [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($PSScriptRoot, $folder), '*.ps1')
    [System.Array]::Sort($files, [System.StringComparer]::Ordinal)
    foreach ($file in $files) {
        . $file
        if ($folder -ceq 'Public') { $publicFunctions.Add([System.IO.Path]::GetFileNameWithoutExtension($file)) }
    }
}

Export-ModuleMember -Function $publicFunctions.ToArray()
