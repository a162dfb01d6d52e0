# SnapReady.Guest: makes a Windows guest ready for application-consistent
# snapshots (QEMU Guest Agent, its VSS provider, the VirtIO Serial driver).
#
# Layout (all three folders are dot-sourced, in this order; only Public is
# exported):
#   Platform/  the platform seam: every Windows-only call goes through one
#              thin function here (*-SrPlatform*.ps1), and nothing outside
#              Platform/ calls Windows directly.
#   Private/   helpers built on Platform/ (parsers, state readers, the
#              ErrorRecord builder New-SrErrorRecord, which the host and lab
#              modules reuse).
#   Public/    the facts collector, the primitives, the command channel.
#
# Each platform function first checks $script:SrPlatformProvider: $null (the
# default, and the only value production code ever sets) means "run the
# Windows implementation". A test lab may replace it with a provider script
# block by an explicit call into this module's scope (Set-SrPlatformProvider,
# see guest/lab/SnapReady.Lab, Enable-SrLab). Nothing here reads an
# environment variable to choose it.

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:SrPlatformProvider = $null

$script:SrConst = @{
    AgentServiceName       = 'QEMU-GA'
    AgentServiceAltName    = 'qemu-ga'
    AgentDisplayName       = 'QEMU guest agent'
    AgentUpgradeCode       = '{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}'
    AgentInstallDirectory  = 'C:\Program Files\Qemu-ga'
    AgentDefaultConfPath   = 'C:\Program Files\Qemu-ga\qemu-ga.conf'
    VssServiceName         = 'QEMU Guest Agent VSS Provider'
    VssComPlusApplication  = 'QEMU Guest Agent VSS Provider'
    VssClsid               = '{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}'
    VssProviderId          = '{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}'
    VssDllName             = 'qga-vss.dll'
    VssTlbName             = 'qga-vss.tlb'
    VssServiceKey          = 'HKLM:\SYSTEM\CurrentControlSet\Services\QEMU Guest Agent VSS Provider'
    VssInprocServerKey     = 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}\InprocServer32'
    VssClsidKey            = 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}'
    VssProviderKey         = 'HKLM:\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}'
    ServicesKey            = 'HKLM:\SYSTEM\CurrentControlSet\Services'
    VioSerialHardwareIds   = @('PCI\VEN_1AF4&DEV_1003', 'PCI\VEN_1AF4&DEV_1043')
    MarkerKey              = 'HKLM:\SOFTWARE\snapready'
    BootKey                = 'HKLM:\SOFTWARE\snapready\Boot'
    LockKey                = 'HKLM:\SOFTWARE\snapready\Lock'
    LockMutexName          = 'Global\snapready-guest-lock'
    CbsRebootPendingKey    = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
    WuRebootRequiredKey    = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
    SessionManagerKey      = 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager'
    VssAlreadyInstalledHr  = '80004004'
}

# Every function file, each folder in ordinal name order, with .NET calls
# (.NET Framework 4.5 has them all) rather than cmdlet pipelines, which made
# the import slower. Each file only defines its function, so the order is a
# matter of reproducibility.
$publicFunctions = New-Object -TypeName 'System.Collections.Generic.List[string]'
foreach ($folder in @('Platform', 'Private', 'Public')) {
    $files = [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($PSScriptRoot, $folder), '*.ps1')
    [System.Array]::Sort($files, [System.StringComparer]::Ordinal)
    foreach ($file in $files) {
        . $file
        if ($folder -ceq 'Public') { $publicFunctions.Add([System.IO.Path]::GetFileNameWithoutExtension($file)) }
    }
}

# A 32-bit PowerShell on 64-bit Windows reads redirected registry and System32
# paths: refuse to load there (SrWow64Process).
Assert-SrNativeProcess

Export-ModuleMember -Function $publicFunctions.ToArray()
