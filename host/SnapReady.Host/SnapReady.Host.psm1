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

$script:SrHostConnections = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)

# Slots of Invoke-SrHostBatch: runspaces of this process, each with its own
# SnapReady.Host and connections (slot number -> runspace, running pipeline,
# its handle and tag); stopped slots wait in the retired list until their
# pipeline has ended. The slot count is fixed by the first batch.
$script:SrHostSlots = [System.Collections.Generic.Dictionary[int, object]]::new()
$script:SrHostRetiredSlots = [System.Collections.Generic.List[object]]::new()
$script:SrHostSlotCount = $null
$script:SrHostManifestPath = Join-Path -Path $PSScriptRoot -ChildPath 'SnapReady.Host.psd1'
# Constant script run in a slot; the manifest path and the request are its
# arguments. The slot imports SnapReady.Host on its first request and keeps
# the module in a variable of its own runspace, set only once the import
# succeeded: later requests skip the import (no Get-Module each time).
$script:SrHostSlotScript = @'
param([string] $ModulePath, [string] $RequestBase64)
if ($null -eq $global:SrHostSlotModule) { $global:SrHostSlotModule = Import-Module -Name $ModulePath -PassThru -ErrorAction Stop }
SnapReady.Host\Invoke-SrHostRequest -RequestBase64 $RequestBase64
'@

# The guest module imported into this runspace for local and lab guests:
# its folder, the pinned hash its files had when it was imported, and the
# module (Connect-SrHostGuest).
$script:SrHostImportedGuest = $null

# Guest module hashes by folder, with the file fingerprint they were computed for.
$script:SrHostModuleHashCache = @{}

$script:SrHostConst = @{
    ConnectTimeoutMilliseconds = 30000
    MaxRequestBase64Length     = 4194304
    MaxBatchBase64Length       = 67108864
    MaxSlots                   = 256
    SlotGraceMilliseconds      = 5000
    StopGraceMilliseconds      = 10000
    GuestModuleName            = 'SnapReady.Guest'
    LabModuleName              = 'SnapReady.Lab'
    Categories                 = @('unreachable', 'auth', 'guest', 'protocol', 'config', 'timeout')
}

# snapready has one ErrorRecord builder, New-SrErrorRecord. It lives in the
# guest module (the only module shipped to guests); the host reuses that file
# (New-SrHostErrorRecord wraps it).
. (Join-Path -Path $PSScriptRoot -ChildPath '..' -AdditionalChildPath '..', 'guest', 'SnapReady.Guest', 'Private', 'New-SrErrorRecord.ps1')
# The security policy of snapready's folders on the guest (DACL, accepted
# owners) is defined once, in the guest module; Protect-SrHostGuestFolder
# passes it as arguments to its remote script block.
. (Join-Path -Path $PSScriptRoot -ChildPath '..' -AdditionalChildPath '..', 'guest', 'SnapReady.Guest', 'Private', 'Get-SrProtectedFolderPolicy.ps1')

# Every function file, each folder in ordinal name order, with .NET calls
# rather than cmdlet pipelines (import time counts in every runner process
# and slot). Each file only defines its function, so the order is a matter
# of reproducibility, not of correctness.
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
