# The installer cannot be swapped between its hash check and msiexec:
# snapready's staging folders are SYSTEM/Administrators-only (a junction or a
# folder someone else owns is refused), staged files are re-secured, and
# Install-SrAgent checks the SHA-256 again while it holds the file open.
# Three layers: the primitives over the mocked platform layer, the lab
# (simulated guests), and the Windows implementations with the Windows
# cmdlets mocked ("simulated").
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnapReady.Guest' 'SnapReady.Guest.psd1') -Force
    $script:Root = 'C:\ProgramData\snapready'
    $script:Stage = 'C:\ProgramData\snapready\installers'
    $script:UserSid = 'S-1-5-21-3623811015-3361044348-30300820-1001'
    # The FullyQualifiedErrorId of what the script block throws.
    $script:ErrorIdOf = {
        param([scriptblock] $Action)
        try { & $Action; return '(nothing thrown)' } catch { return [string]$_.FullyQualifiedErrorId }
    }
}

Describe 'Save-SrInstaller and Install-SrAgent over the mocked platform layer: staging folder and installer checks' {
    BeforeAll {
        . $PSScriptRoot/Support/DefaultMocks.ps1
    }
    BeforeEach {
        . $PSScriptRoot/Support/MockState.ps1
        $script:good = 'A' * 64
        Mock -ModuleName SnapReady.Guest Get-SrPlatformFileHash { 'A' * 64 }
    }

    It 'creates snapready''s root and the staging folder protected, top-down, and re-secures the downloaded file before hashing it' {
        $script:Calls = New-Object System.Collections.Generic.List[string]
        Mock -ModuleName SnapReady.Guest Reset-SrPlatformFileSecurity { $script:Calls.Add('reset ' + $Path) }
        Mock -ModuleName SnapReady.Guest Get-SrPlatformFileHash { $script:Calls.Add('hash ' + $Path); 'A' * 64 }
        $r = Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage
        $r.changed | Should -BeTrue
        $r.sha256 | Should -Be $good
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 2 -Exactly
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 1 -Exactly -ParameterFilter { $Path -eq $Root }
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 1 -Exactly -ParameterFilter { $Path -eq $Stage }
        $script:M.Folders[$Root.ToLowerInvariant()].accessRulesProtected | Should -BeTrue
        $script:M.Folders[$Stage.ToLowerInvariant()].accessRulesProtected | Should -BeTrue
        $Calls | Should -Be @("reset $Stage\qemu-ga-x86_64.msi", "hash $Stage\qemu-ga-x86_64.msi")
    }

    It 're-applies the protection to existing folders owned by SYSTEM or Administrators' {
        $script:M.Folders[$Root.ToLowerInvariant()] = @{ path = $Root; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-18'; accessRulesProtected = $false }
        $script:M.Folders[$Stage.ToLowerInvariant()] = @{ path = $Stage; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-32-544'; accessRulesProtected = $false }
        (Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage).changed | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 2 -Exactly
    }

    It 'refuses a staging folder that is a junction (SrStagingFolderUnsafe, naming path and owner) and fetches nothing' {
        $script:M.Folders[$Stage.ToLowerInvariant()] = @{ path = $Stage; isDirectory = $true; isReparsePoint = $true; ownerSid = $UserSid; accessRulesProtected = $false }
        $err = $null
        try { Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'SrStagingFolderUnsafe*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -BeLike "*'$Stage'*junction or symbolic link (reparse point)*$UserSid*"
        $err.TargetObject.path | Should -Be $Stage
        $err.TargetObject.retryable | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 0 -Exactly -ParameterFilter { $Path -eq $Stage }
        Should -Invoke -ModuleName SnapReady.Guest Test-SrPlatformPath -Times 0 -Exactly
        Should -Invoke -ModuleName SnapReady.Guest Invoke-SrPlatformDownload -Times 0 -Exactly
    }

    It 'refuses a staging folder a local user owns, even when it is a plain folder' {
        $script:M.Folders[$Stage.ToLowerInvariant()] = @{ path = $Stage; isDirectory = $true; isReparsePoint = $false; ownerSid = $UserSid; accessRulesProtected = $false }
        $err = $null
        try { Save-SrInstaller -Source '\\fs\share\qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SrStagingFolderUnsafe*'
        $err.Exception.Message | Should -BeLike "*its owner is $UserSid, not SYSTEM (S-1-5-18) or Administrators (S-1-5-32-544)*"
        Should -Invoke -ModuleName SnapReady.Guest Copy-SrPlatformFile -Times 0 -Exactly
    }

    It 'refuses a hijacked snapready root (C:\ProgramData\snapready) before its subfolder' {
        $script:M.Folders[$Root.ToLowerInvariant()] = @{ path = $Root; isDirectory = $true; isReparsePoint = $true; ownerSid = $UserSid; accessRulesProtected = $false }
        (& $ErrorIdOf { Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage }) | Should -BeLike 'SrStagingFolderUnsafe*'
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 0 -Exactly
    }

    It 'refuses when the folder is still not protected afterwards (someone raced it)' {
        Mock -ModuleName SnapReady.Guest Protect-SrPlatformDirectory {
            $script:M.Folders[$Path.ToLowerInvariant()] = @{ path = $Path; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-32-544'; accessRulesProtected = $false }
        }
        $err = $null
        try { Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SrStagingFolderUnsafe*'
        $err.Exception.Message | Should -BeLike '*still inherited*after snapready protected it*'
    }

    It 'checks and protects the runner''s upload folder under a snapready root, and refuses a hijacked one before moving the upload' {
        # (C:\ProgramData\snapready\uploads on a guest; a path that is absolute here too, where tests run on Linux.)
        $upload = '/ProgramData/snapready/uploads/0123456789abcdef-aaaa.partial'
        (Save-SrInstaller -Source '/srv/media/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage -UploadPath $upload).changed | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 1 -Exactly -ParameterFilter { $Path -eq '/ProgramData/snapready/uploads' }
        Should -Invoke -ModuleName SnapReady.Guest Reset-SrPlatformFileSecurity -Times 1 -Exactly -ParameterFilter { $Path -eq "$Stage\qemu-ga-x86_64.msi" }

        . $PSScriptRoot/Support/MockState.ps1
        $script:M.Folders['/programdata/snapready/uploads'] = @{ path = '/ProgramData/snapready/uploads'; isDirectory = $true; isReparsePoint = $true; ownerSid = $UserSid; accessRulesProtected = $false }
        (& $ErrorIdOf { Save-SrInstaller -Source '/srv/media/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage -UploadPath $upload }) | Should -BeLike 'SrStagingFolderUnsafe*'
        Should -Invoke -ModuleName SnapReady.Guest Import-SrPlatformUpload -Times 1 -Exactly
    }

    It 'leaves an upload folder outside a snapready root alone (the runner''s temp folder, local transport)' {
        (Save-SrInstaller -Source '/srv/media/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage -UploadPath '/tmp/snapready-uploads/x.partial').changed | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 0 -Exactly -ParameterFilter { $Path -like '/tmp*' }
    }

    It 're-secures an already staged file before trusting its hash' {
        $dest = "$Stage\qemu-ga-x86_64.msi"
        $script:M.Files[$dest.ToLowerInvariant()] = 'x'
        (Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage).changed | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Reset-SrPlatformFileSecurity -Times 1 -Exactly -ParameterFilter { $Path -eq $dest }
    }

    It 'Get-SrProtectedFolderPolicy is the folder policy: SYSTEM and Administrators by well-known SID only (the host module passes the same values to its guest folder check)' {
        $policy = & (Get-Module SnapReady.Guest) { Get-SrProtectedFolderPolicy }
        $policy.directorySddl | Should -BeExactly 'O:S-1-5-32-544D:PAI(A;OICI;FA;;;S-1-5-18)(A;OICI;FA;;;S-1-5-32-544)'
        $policy.ownerSids | Should -BeExactly @('S-1-5-18', 'S-1-5-32-544')
        ,$policy.ownerSids | Should -BeOfType [string[]]
        $policy.ownerText | Should -BeExactly 'SYSTEM (S-1-5-18) or Administrators (S-1-5-32-544)'
        # A fresh object each time: a caller changing its copy changes nobody else's.
        $policy.ownerSids[0] = 'S-1-1-0'
        (& (Get-Module SnapReady.Guest) { Get-SrProtectedFolderPolicy }).ownerSids | Should -BeExactly @('S-1-5-18', 'S-1-5-32-544')
    }

    It 'Protect-SrStagingDirectory accepts exactly the owners of Get-SrProtectedFolderPolicy and names them as it does' {
        Mock -ModuleName SnapReady.Guest Get-SrProtectedFolderPolicy {
            [pscustomobject]@{ directorySddl = 'O:SYD:PAI(A;OICI;FA;;;S-1-5-18)'; ownerSids = [string[]]@('S-1-5-18'); ownerText = 'SYSTEM only (test policy)' }
        }
        # That policy's DACL makes SYSTEM the owner.
        Mock -ModuleName SnapReady.Guest Protect-SrPlatformDirectory {
            $script:M.Folders[$Path.ToLowerInvariant()] = @{ path = $Path; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-18'; accessRulesProtected = $true }
        }
        $script:M.Folders[$Root.ToLowerInvariant()] = @{ path = $Root; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-18'; accessRulesProtected = $false }
        $script:M.Folders[$Stage.ToLowerInvariant()] = @{ path = $Stage; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-32-544'; accessRulesProtected = $false }
        $err = $null
        try { Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $good -DestinationDirectory $Stage } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SrStagingFolderUnsafe*'
        $err.Exception.Message | Should -BeLike "*'$Stage' is unsafe: its owner is S-1-5-32-544, not SYSTEM only (test policy) (refusing*"
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 1 -Exactly -ParameterFilter { $Path -eq $Root }
        Should -Invoke -ModuleName SnapReady.Guest Protect-SrPlatformDirectory -Times 0 -Exactly -ParameterFilter { $Path -eq $Stage }
    }

    It 'Install-SrAgent refuses an installer whose SHA-256 changed since staging, runs nothing and closes the file' {
        $script:M.Products = @()
        $script:M.Hashes['c:\stage\qemu-ga-x86_64.msi'] = 'E' * 64
        $err = $null
        try { Install-SrAgent -InstallerPath 'C:\stage\qemu-ga-x86_64.msi' -Kind msi -Version '109.0.0' -ExpectedSha256 ('a' * 64) } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SrInstallerHashMismatch*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -BeLike "*expected $('A' * 64), actual $('E' * 64)*nothing was run*"
        $script:M.Processes.Count | Should -Be 0
        $script:M.OpenHandles.Count | Should -Be 0
    }

    It 'Install-SrAgent starts the installer while the checked file is still held open, and closes it afterwards' {
        $script:M.Products = @()
        $script:M.Hashes['c:\stage\qemu-ga-x86_64.msi'] = 'A' * 64
        $script:OpenWhileRunning = $null
        $script:M.ProcessHandler = {
            param($FilePath, $ArgumentList)
            $script:OpenWhileRunning = @($script:M.OpenHandles)
            $script:M.Products = @([pscustomobject]@{ keyName = '{1}'; displayName = 'QEMU guest agent'; displayVersion = '109.0.0'; installLocation = ''; wow6432Node = $false })
            [pscustomobject]@{ exitCode = 0; stdout = ''; stderr = '' }
        }
        (Install-SrAgent -InstallerPath 'C:\stage\qemu-ga-x86_64.msi' -Kind msi -Version '109.0.0' -ExpectedSha256 ('a' * 64)).changed | Should -BeTrue
        $OpenWhileRunning | Should -Be @('handle:C:\stage\qemu-ga-x86_64.msi')
        $script:M.OpenHandles.Count | Should -Be 0
        Should -Invoke -ModuleName SnapReady.Guest Open-SrPlatformFile -Times 1 -Exactly -ParameterFilter { $Path -eq 'C:\stage\qemu-ga-x86_64.msi' }
    }

    It 'Install-SrAgent -ExpectedSha256 accepts 64 hex digits only' {
        { Install-SrAgent -InstallerPath 'C:\stage\qemu-ga-x86_64.msi' -Kind msi -Version '109.0.0' -ExpectedSha256 'abc' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Staging security on lab guests (simulated Windows)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab' 'SnapReady.Lab.psd1') -Force
    }
    AfterAll { Disable-SrLab }

    It 'a normal run: snapready''s folders are protected, the staged file secured by its folder, and the agent installs (simulated)' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'normal.json')
        Enable-SrLab -StatePath $lab.statePath
        $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory $Stage
        $state = Get-SrLabState -StatePath $lab.statePath
        foreach ($folder in @($Root, $Stage))
        {
            $record = $state.folders[$folder.ToLowerInvariant()]
            $record | Should -Not -BeNullOrEmpty -Because $folder
            $record.accessRulesProtected | Should -BeTrue
            $record.ownerSid | Should -Be 'S-1-5-32-544'
        }
        $file = $state.files[$staged.path.ToLowerInvariant()]
        $file.acl | Should -Be 'inherited'
        $file.ownerSid | Should -Be 'S-1-5-32-544'
        (Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion -ExpectedSha256 $staged.sha256).changed | Should -BeTrue
        (Get-SrGuestFact).agent.version | Should -Be $lab.agentVersion
    }

    It 'a hijacked staging folder (a user''s junction): a clear error, nothing staged, nothing installed (simulated)' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'hijacked.json') -Fault StagingFolderHijacked
        Enable-SrLab -StatePath $lab.statePath
        $err = $null
        try { Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory $Stage } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SrStagingFolderUnsafe*'
        $err.Exception.Message | Should -BeLike "*'$Stage' is unsafe: it is a junction or symbolic link (reparse point); its owner is S-1-5-21-*"
        $state = Get-SrLabState -StatePath $lab.statePath
        @($state.files.Keys | Where-Object { $_ -like 'c:\programdata\snapready\installers\*' }) | Should -BeNullOrEmpty
        @($state.processLog) | Should -BeNullOrEmpty
        (Get-SrGuestFact).agent.installed | Should -BeFalse
    }

    It 'an installer swapped after staging: Install-SrAgent refuses with a hash error and runs nothing (simulated)' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'swapped.json')
        Enable-SrLab -StatePath $lab.statePath
        $staged = Save-SrInstaller -Source $lab.url -Sha256 $lab.msiSha256 -DestinationDirectory $Stage
        Set-SrLabFault -StatePath $lab.statePath -Fault StagedInstallerSwapped
        (Get-SrLabState -StatePath $lab.statePath).files[$staged.path.ToLowerInvariant()].content | Should -BeLike 'LAB-MSI|qemu-ga|666.6.6|*'
        $err = $null
        try { Install-SrAgent -InstallerPath $staged.path -Kind msi -Version $lab.agentVersion -ExpectedSha256 $staged.sha256 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SrInstallerHashMismatch*'
        $err.Exception.Message | Should -BeLike "*expected $($lab.msiSha256.ToUpperInvariant())*nothing was run*"
        @((Get-SrLabState -StatePath $lab.statePath).processLog | Where-Object { $_.filePath -like '*msiexec.exe' }) | Should -BeNullOrEmpty
        (Get-SrGuestFact).agent.installed | Should -BeFalse
    }

    It 'the runner''s upload folder under a snapready root is protected before the upload is moved (simulated)' {
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'upload.json')
        Enable-SrLab -StatePath $lab.statePath
        $uploads = Join-Path (Join-Path $TestDrive 'snapready') 'uploads'
        $null = New-Item -ItemType Directory -Path $uploads -Force
        $upload = Join-Path $uploads 'x.partial'
        [System.IO.File]::WriteAllText($upload, 'LAB-MSI|qemu-ga|108.0.2|x64')
        $staged = Save-SrInstaller -Source '/srv/media/qemu-ga-x86_64.msi' -Sha256 $lab.msiSha256 -DestinationDirectory $Stage -UploadPath $upload
        $staged.changed | Should -BeTrue
        $state = Get-SrLabState -StatePath $lab.statePath
        $state.folders[$uploads.ToLowerInvariant()].accessRulesProtected | Should -BeTrue
        $state.files[$staged.path.ToLowerInvariant()].acl | Should -Be 'inherited'
    }
}

Describe 'The Windows implementations of the staging-security wrappers (simulated: Windows cmdlets mocked)' {
    BeforeAll {
        $script:Stubbed = @()
        foreach ($name in @('Get-Acl', 'Set-Acl'))
        {
            if ($null -eq (Get-Command -Name $name -ErrorAction SilentlyContinue))
            {
                $null = New-Item -Path ('Function:\global:{0}' -f $name) -Value {
                    [CmdletBinding()]
                    param([string] $LiteralPath, [object] $AclObject)
                    throw 'stub: mock me'
                }
                $script:Stubbed += $name
            }
        }
        Mock -ModuleName SnapReady.Guest Assert-SrPlatformWindows { }
        # A DirectorySecurity / FileSecurity stand-in: records the SDDL it is given.
        $script:FakeSecurity = {
            $o = [pscustomobject]@{ sddl = $null }
            $o | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptorSddlForm -Value { param($Sddl) $this.sddl = $Sddl }
            $o
        }
    }
    AfterAll {
        foreach ($name in $script:Stubbed) { Remove-Item -Path ('Function:\global:{0}' -f $name) -ErrorAction SilentlyContinue }
    }

    It 'Get-SrPlatformDirectorySecurity reports a junction and its owner as a SID, without following it (simulated)' {
        Mock -ModuleName SnapReady.Guest Get-Item { [pscustomobject]@{ Attributes = [System.IO.FileAttributes]'Directory, ReparsePoint' } }
        Mock -ModuleName SnapReady.Guest Get-Acl {
            $acl = [pscustomobject]@{ AreAccessRulesProtected = $false }
            $acl | Add-Member -MemberType ScriptMethod -Name GetOwner -Value { param($Type) if ($Type -ne [System.Security.Principal.SecurityIdentifier]) { throw 'names are translated: ask for a SID' }; [pscustomobject]@{ Value = 'S-1-5-21-1-2-3-1001' } }
            $acl
        }
        $r = & (Get-Module SnapReady.Guest) { Get-SrPlatformDirectorySecurity -Path 'C:\ProgramData\snapready\installers' }
        $r.isDirectory | Should -BeTrue
        $r.isReparsePoint | Should -BeTrue
        $r.ownerSid | Should -Be 'S-1-5-21-1-2-3-1001'
        $r.accessRulesProtected | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Guest Get-Item -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq 'C:\ProgramData\snapready\installers' -and $Force }
    }

    It 'Get-SrPlatformDirectorySecurity returns $null for a missing folder and a null owner when the ACL cannot be read (simulated)' {
        Mock -ModuleName SnapReady.Guest Get-Item { throw (New-Object System.Management.Automation.ItemNotFoundException -ArgumentList 'gone') }
        & (Get-Module SnapReady.Guest) { Get-SrPlatformDirectorySecurity -Path 'C:\nothing' } | Should -BeNullOrEmpty
        Mock -ModuleName SnapReady.Guest Get-Item { [pscustomobject]@{ Attributes = [System.IO.FileAttributes]::Directory } }
        Mock -ModuleName SnapReady.Guest Get-Acl { throw 'Attempted to perform an unauthorized operation.' }
        $r = & (Get-Module SnapReady.Guest) { Get-SrPlatformDirectorySecurity -Path 'C:\ProgramData\snapready' }
        $r.isReparsePoint | Should -BeFalse
        $r.ownerSid | Should -BeNullOrEmpty
    }

    It 'Protect-SrPlatformDirectory writes a protected DACL of well-known SIDs only (SYSTEM, Administrators) with owner Administrators (simulated)' {
        $script:Security = & $FakeSecurity
        Mock -ModuleName SnapReady.Guest New-Object -ParameterFilter { $TypeName -eq 'System.Security.AccessControl.DirectorySecurity' } { $script:Security }
        Mock -ModuleName SnapReady.Guest Test-Path { $true }
        Mock -ModuleName SnapReady.Guest Set-Acl { }
        & (Get-Module SnapReady.Guest) { Protect-SrPlatformDirectory -Path 'C:\ProgramData\snapready\installers' }
        $Security.sddl | Should -BeExactly 'O:S-1-5-32-544D:PAI(A;OICI;FA;;;S-1-5-18)(A;OICI;FA;;;S-1-5-32-544)'
        Should -Invoke -ModuleName SnapReady.Guest Set-Acl -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq 'C:\ProgramData\snapready\installers' -and [object]::ReferenceEquals($AclObject, $script:Security) }
    }

    It 'Protect-SrPlatformDirectory applies the directorySddl of Get-SrProtectedFolderPolicy, whatever it is (simulated)' {
        $script:Security = & $FakeSecurity
        Mock -ModuleName SnapReady.Guest Get-SrProtectedFolderPolicy { [pscustomobject]@{ directorySddl = 'O:SYD:PAI(A;OICI;FA;;;S-1-5-18)'; ownerSids = [string[]]@('S-1-5-18'); ownerText = 'SYSTEM only (test policy)' } }
        Mock -ModuleName SnapReady.Guest New-Object -ParameterFilter { $TypeName -eq 'System.Security.AccessControl.DirectorySecurity' } { $script:Security }
        Mock -ModuleName SnapReady.Guest Test-Path { $true }
        Mock -ModuleName SnapReady.Guest Set-Acl { }
        & (Get-Module SnapReady.Guest) { Protect-SrPlatformDirectory -Path 'C:\ProgramData\snapready\uploads' }
        $Security.sddl | Should -BeExactly 'O:SYD:PAI(A;OICI;FA;;;S-1-5-18)'
        Should -Invoke -ModuleName SnapReady.Guest Set-Acl -Times 1 -Exactly -ParameterFilter { [object]::ReferenceEquals($AclObject, $script:Security) }
    }

    It 'Reset-SrPlatformFileSecurity makes Administrators the owner and leaves only what the folder passes on (simulated)' {
        $script:Security = & $FakeSecurity
        Mock -ModuleName SnapReady.Guest New-Object -ParameterFilter { $TypeName -eq 'System.Security.AccessControl.FileSecurity' } { $script:Security }
        Mock -ModuleName SnapReady.Guest Set-Acl { }
        & (Get-Module SnapReady.Guest) { Reset-SrPlatformFileSecurity -Path 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi' }
        $Security.sddl | Should -BeExactly 'O:S-1-5-32-544D:AI'
        Should -Invoke -ModuleName SnapReady.Guest Set-Acl -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi' }
    }

    It 'Open-SrPlatformFile hashes through a read-only handle that stays open until Close-SrPlatformFile' {
        $path = Join-Path $TestDrive 'installer.msi'
        [System.IO.File]::WriteAllText($path, 'LAB-MSI|qemu-ga|108.0.2|x64')
        $expected = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash
        $opened = & (Get-Module SnapReady.Guest) { param($p) Open-SrPlatformFile -Path $p } $path
        try
        {
            $opened.sha256 | Should -BeExactly $expected
            $opened.handle.CanRead | Should -BeTrue
            $opened.handle.CanWrite | Should -BeFalse
        }
        finally
        {
            & (Get-Module SnapReady.Guest) { param($h) Close-SrPlatformFile -Handle $h } $opened.handle
        }
        { $opened.handle.ReadByte() } | Should -Throw
    }
}
