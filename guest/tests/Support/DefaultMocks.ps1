# Dot-sourced in BeforeAll by the mocked unit tests: mocks the WHOLE platform
# layer of SnapReady.Guest (SnapReady.Guest/Platform/) over $script:M (see
# MockState.ps1; tests change it per case). A platform call not mocked here
# would reach the Windows implementation and fail.
Mock -ModuleName SnapReady.Guest Get-SrPlatformOs { $script:M.Os }
Mock -ModuleName SnapReady.Guest Get-SrPlatformService {
    $s = $script:M.Services[$Name.ToLowerInvariant()]
    if ($null -eq $s) { return $null }
    [pscustomobject]$s
}
Mock -ModuleName SnapReady.Guest Set-SrPlatformServiceStartType { $script:M.Services[$Name.ToLowerInvariant()].startType = $StartType }
Mock -ModuleName SnapReady.Guest Start-SrPlatformService {
    if ($script:M.StartFails) { throw "Cannot start service $Name on computer '.'." }
    $script:M.Services[$Name.ToLowerInvariant()].status = 'Running'
}
Mock -ModuleName SnapReady.Guest Restart-SrPlatformService { $script:M.Restarts.Add($Name) }
Mock -ModuleName SnapReady.Guest Test-SrPlatformRegistryKey { $script:M.Keys -contains $Path.ToLowerInvariant() }
Mock -ModuleName SnapReady.Guest New-SrPlatformVolatileRegistryKey { $script:M.Keys = @($script:M.Keys) + @($Path.ToLowerInvariant()) }
Mock -ModuleName SnapReady.Guest Get-SrPlatformRegistryValue { $script:M.Registry[('{0}|{1}' -f $Path, $Name).ToLowerInvariant()] }
Mock -ModuleName SnapReady.Guest Set-SrPlatformRegistryValue {
    $script:M.Registry[('{0}|{1}' -f $Path, $Name).ToLowerInvariant()] = $Value
    $script:M.Writes.Add([pscustomobject]@{ Path = $Path; Name = $Name; Value = $Value; Type = $Type })
}
Mock -ModuleName SnapReady.Guest Get-SrPlatformUninstallEntry { $script:M.Products }
Mock -ModuleName SnapReady.Guest Get-SrPlatformRelatedProduct { $script:M.Related }
Mock -ModuleName SnapReady.Guest Get-SrPlatformPnpDevice { $script:M.Devices }
Mock -ModuleName SnapReady.Guest Get-SrPlatformComPlusApplication { $script:M.ComPlus }
Mock -ModuleName SnapReady.Guest Remove-SrPlatformComPlusApplication { $script:M.ComPlus = $null }
Mock -ModuleName SnapReady.Guest Remove-SrPlatformRegistryKey {
    $prefix = $Path.ToLowerInvariant()
    $script:M.Keys = @($script:M.Keys | Where-Object { $_ -ne $prefix -and -not $_.StartsWith($prefix + '\') })
    foreach ($k in @($script:M.Registry.Keys)) { if ($k.StartsWith($prefix + '\') -or $k.StartsWith($prefix + '|')) { $script:M.Registry.Remove($k) } }
}
Mock -ModuleName SnapReady.Guest Invoke-SrPlatformProcess {
    $script:M.Processes.Add([pscustomobject]@{ FilePath = $FilePath; ArgumentList = [string[]]@($ArgumentList) })
    & $script:M.ProcessHandler $FilePath @($ArgumentList)
}
Mock -ModuleName SnapReady.Guest Test-SrPlatformPath { $script:M.Files.ContainsKey($Path.ToLowerInvariant()) }
Mock -ModuleName SnapReady.Guest Get-SrPlatformFileHash { $script:M.Hashes[$Path.ToLowerInvariant()] }
Mock -ModuleName SnapReady.Guest Invoke-SrPlatformDownload { $script:M.Files[$OutFile.ToLowerInvariant()] = 'downloaded' }
Mock -ModuleName SnapReady.Guest Copy-SrPlatformFile { $script:M.Files[$Destination.ToLowerInvariant()] = 'copied' }
Mock -ModuleName SnapReady.Guest Import-SrPlatformUpload { $script:M.Files[$Destination.ToLowerInvariant()] = 'uploaded' }
Mock -ModuleName SnapReady.Guest Remove-SrPlatformFile { $script:M.Files.Remove($Path.ToLowerInvariant()) }
Mock -ModuleName SnapReady.Guest New-SrPlatformDirectory { }
Mock -ModuleName SnapReady.Guest Get-SrPlatformDirectorySecurity {
    $f = $script:M.Folders[$Path.TrimEnd('\').ToLowerInvariant()]
    if ($null -eq $f) { return $null }
    [pscustomobject]$f
}
Mock -ModuleName SnapReady.Guest Protect-SrPlatformDirectory {
    # Like Windows: a junction stays a junction (its target would be secured).
    $id = $Path.TrimEnd('\').ToLowerInvariant()
    $f = $script:M.Folders[$id]
    if ($null -eq $f -or -not $f.isReparsePoint) { $script:M.Folders[$id] = @{ path = $Path; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-32-544'; accessRulesProtected = $true } }
}
Mock -ModuleName SnapReady.Guest Reset-SrPlatformFileSecurity { }
Mock -ModuleName SnapReady.Guest Open-SrPlatformFile {
    $handle = 'handle:' + $Path
    $script:M.OpenHandles.Add($handle)
    [pscustomobject]@{ handle = $handle; sha256 = $script:M.Hashes[$Path.ToLowerInvariant()] }
}
Mock -ModuleName SnapReady.Guest Close-SrPlatformFile { $null = $script:M.OpenHandles.Remove([string]$Handle) }
Mock -ModuleName SnapReady.Guest Get-SrPlatformFileContent {
    $c = $script:M.Content[$Path.ToLowerInvariant()]
    if ($null -eq $c) { return $null }
    , [string[]]$c
}
Mock -ModuleName SnapReady.Guest Set-SrPlatformFileContent { $script:M.Content[$Path.ToLowerInvariant()] = [string[]]$Value }
Mock -ModuleName SnapReady.Guest Get-SrPlatformCertificate { $script:M.Store[$Thumbprint.ToUpperInvariant()] }
Mock -ModuleName SnapReady.Guest Read-SrPlatformCertificate { $script:M.CertFiles[$Path.ToLowerInvariant()] }
Mock -ModuleName SnapReady.Guest Add-SrPlatformCertificate { $script:M.Store[$Thumbprint.ToUpperInvariant()] = $script:M.CertFiles[$Path.ToLowerInvariant()] }
Mock -ModuleName SnapReady.Guest Get-SrPlatformAuthenticodeSignature {
    $s = $script:M.Signatures[$Path.ToLowerInvariant()]
    if ($null -eq $s) { return [pscustomobject]@{ status = 'NotSigned'; signerThumbprint = $null; signerSubject = $null } }
    $s
}
Mock -ModuleName SnapReady.Guest Restart-SrPlatformComputer { $script:M.Reboots++ }
Mock -ModuleName SnapReady.Guest Enter-SrPlatformMutex { 'mutex:' + $Name }
Mock -ModuleName SnapReady.Guest Exit-SrPlatformMutex { }
Mock -ModuleName SnapReady.Guest Get-SrPlatformDiskFreeSpace { [long]1073741824 }
Mock -ModuleName SnapReady.Guest Get-SrPlatformVssWriter { $script:M.VssWriters }
