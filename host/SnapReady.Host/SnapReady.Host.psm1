# SnapReady.Host: the runner-side request channel of snapready.
#
# Runs in the long-lived pwsh processes of the TypeScript runner (not on the
# guest). The runner imports this module once per process and then sends only
# `Invoke-SrHostRequest -RequestBase64 '<base64>'`: every value arrives as
# inert base64 JSON data and is bound to cmdlet parameters, never put into
# script text. Each request answers exactly one line of compressed JSON.
#
# Connections (local lab guests, PSSessions over SSH or WinRM) are kept per
# VM name in $script:SrHostConnections for the life of the process.

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:SrHostConnections = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)

# Guest module hashes by folder, with the file fingerprint they were computed for.
$script:SrHostModuleHashCache = @{}

$script:SrHostConst = @{
    ConnectTimeoutMilliseconds = 30000
    MaxRequestBase64Length     = 4194304
    GuestModuleName            = 'SnapReady.Guest'
    LabModuleName              = 'SnapReady.Lab'
    Categories                 = @('unreachable', 'auth', 'guest', 'protocol', 'config')
}

# snapready has one ErrorRecord builder, New-SrErrorRecord. It lives in the
# guest module (the only module shipped to guests); the host reuses that file
# (New-SrHostErrorRecord wraps it).
. (Join-Path -Path $PSScriptRoot -ChildPath '..' -AdditionalChildPath '..', 'guest', 'SnapReady.Guest', 'Private', 'New-SrErrorRecord.ps1')

foreach ($folder in @('Private', 'Public')) {
    $folderPath = Join-Path -Path $PSScriptRoot -ChildPath $folder
    foreach ($file in @(Get-ChildItem -LiteralPath $folderPath -Filter '*.ps1' -File | Sort-Object Name)) {
        . $file.FullName
    }
}

Export-ModuleMember -Function @(Get-ChildItem -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath 'Public') -Filter '*.ps1' -File |
        ForEach-Object { $_.BaseName })
