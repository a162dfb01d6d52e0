# Dot-sourced in BeforeEach by the mocked unit tests: resets $script:M, the
# healthy, fully configured guest that Support/DefaultMocks.ps1 serves.
$script:M = @{
    Os         = [pscustomobject]@{ version = '10.0.17763'; build = 17763; architecture = 'x64'; lastBootUpTime = '2025-01-01T01:00:00.0000000Z'; systemDirectory = 'C:\Windows\system32'; systemDrive = 'C:' }
    Services   = @{
        'qemu-ga'                       = @{ name = 'QEMU-GA'; displayName = 'QEMU Guest Agent'; status = 'Running'; startType = 'Automatic' }
        'qemu guest agent vss provider' = @{ name = 'QEMU Guest Agent VSS Provider'; displayName = 'QEMU Guest Agent VSS Provider'; status = 'Stopped'; startType = 'Manual' }
    }
    Registry   = @{
        'hklm:\system\currentcontrolset\services\qemu-ga|imagepath'                                         = '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'
        'hklm:\software\classes\clsid\{6e6a3492-8d4d-440c-9619-5e5d0cc31ca8}\inprocserver32|(default)'       = 'C:\Program Files\Qemu-ga\qga-vss.dll'
        'hklm:\system\currentcontrolset\services\qemu guest agent vss provider|vssoption'                    = 1
    }
    Keys       = @('hklm:\system\currentcontrolset\services\qemu guest agent vss provider')
    Products   = @([pscustomobject]@{ keyName = '{11111111-2222-3333-4444-555555555555}'; displayName = 'QEMU guest agent'; displayVersion = '108.0.2'; installLocation = ''; wow6432Node = $false })
    Related    = @('{11111111-2222-3333-4444-555555555555}')
    Devices    = @([pscustomobject]@{ instanceId = 'PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00\3&1&30'; hardwareId = 'PCI\VEN_1AF4&DEV_1003'; status = 'OK'; driverVersion = '100.94.104.26600'; driverProvider = 'Red Hat, Inc.'; infName = 'oem3.inf' })
    ComPlus    = [pscustomobject]@{ name = 'QEMU Guest Agent VSS Provider'; id = '{0}' }
    VssWriters = @([pscustomobject]@{ name = 'System Writer'; writerId = '{E8132975-6F93-4464-A53E-1050253AE220}'; instanceId = '{00000000-0000-0000-0000-0000000000a1}'; state = 1; lastError = 0 })
    Files      = @{ 'c:\program files\qemu-ga\qga-vss.dll' = 'x'; 'c:\program files\qemu-ga\qemu-ga.exe' = 'x'; 'c:\stage\qemu-ga-x86_64.msi' = 'x'; 'd:\vioserial\vioser.inf' = 'x' }
    Content    = @{}
    Hashes     = @{}
    Store      = @{}
    CertFiles  = @{}
    Signatures = @{}
    # Folder security by lower-case path (Get-SrPlatformDirectorySecurity); missing = no such folder.
    Folders    = @{}
    # Handles of Open-SrPlatformFile not yet closed.
    OpenHandles = New-Object System.Collections.Generic.List[string]
    Processes  = New-Object System.Collections.Generic.List[object]
    Writes     = New-Object System.Collections.Generic.List[object]
    Restarts   = New-Object System.Collections.Generic.List[string]
    Reboots    = 0
    StartFails = $false
    ProcessHandler = { param($FilePath, $ArgumentList) [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' } }
}

