# The guest folders the host writes into (Protect-SrHostGuestFolder) and the
# check of a fresh module copy before it is renamed into place
# (Install-SrHostRemoteModule). The remote script blocks run here, in this
# pwsh: Windows behaviour (attributes, owners, DACLs) is simulated with mocks
# of Get-Item, Get-Acl, Set-Acl and New-Object; the real run on Linux (lab-ssh)
# is covered by SshRemoting.Tests.ps1 and HostBatchSsh.Tests.ps1.
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    Import-Module (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
    # The policy as the guest module defines it, read from the guest's own file
    # (in a child scope: this test's copy is not the host module's). Its values
    # are pinned by guest/tests/StagingSecurity.Tests.ps1.
    $script:PolicyFile = Join-Path $RepoRoot 'guest' 'SnapReady.Guest' 'Private' 'Get-SrProtectedFolderPolicy.ps1'
    $script:GuestPolicy = & { . $PolicyFile; Get-SrProtectedFolderPolicy }
    $script:Sddl = $GuestPolicy.directorySddl
    $script:Hash = 'a' * 64
    # Get-Acl and Set-Acl do not exist in PowerShell on Linux: stubs for Pester to mock.
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
    $script:Protect = {
        param([string] $Folder, [string] $Subfolder = '')
        & (Get-Module SnapReady.Host) {
            param($f, $s)
            Protect-SrHostGuestFolder -Session ([pscustomobject]@{ State = 'Opened' }) -Folder $f -Subfolder $s -Deadline ([datetime]::UtcNow.AddMinutes(1)) -Activity 'preparing module SnapReady.Guest on the guest'
        } $Folder $Subfolder
    }
}
AfterAll {
    foreach ($name in $Stubbed) { Remove-Item -LiteralPath ('Function:\global:{0}' -f $name) -ErrorAction SilentlyContinue }
}

Describe 'Protect-SrHostGuestFolder on a Windows guest (simulated)' {
    BeforeEach {
        $script:SavedProgramData = $env:ProgramData
        $env:ProgramData = '/pd'
        $script:Root = Join-Path '/pd' 'snapready'
        # The simulated file system: path -> attributes, owner SID, protected DACL, children.
        $script:Fs = @{}
        $script:AclLog = [Collections.Generic.List[string]]::new()
        $script:Add = {
            param([string] $Path, [string] $Owner = 'S-1-5-32-544', [IO.FileAttributes] $Attributes = [IO.FileAttributes]::Directory, [bool] $Protected = $false)
            $script:Fs[$Path] = @{ attributes = $Attributes; owner = $Owner; protected = $Protected }
        }
        # The remote script block runs here, as on a Windows guest.
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand { $all = @($ArgumentList) + @($true); & $ScriptBlock @all }
        Mock -ModuleName SnapReady.Host Get-Item {
            $LiteralPath = [string]$LiteralPath
            if (-not $script:Fs.ContainsKey($LiteralPath)) { throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$LiteralPath'") }
            [pscustomobject]@{ Attributes = $script:Fs[$LiteralPath].attributes; FullName = $LiteralPath }
        }
        Mock -ModuleName SnapReady.Host Get-Acl {
            $entry = $script:Fs[[string]$LiteralPath]
            $acl = [pscustomobject]@{ AreAccessRulesProtected = $entry.protected; Sid = $entry.owner }
            $acl | Add-Member -MemberType ScriptMethod -Name GetOwner -Value { param($Type) [pscustomobject]@{ Value = $this.Sid } }
            $acl
        }
        Mock -ModuleName SnapReady.Host Get-ChildItem {
            $prefix = [string]$LiteralPath + '/'
            foreach ($p in @($script:Fs.Keys | Where-Object { $_.StartsWith($prefix) -and $_.Substring($prefix.Length) -notmatch '/' } | Sort-Object)) { [pscustomobject]@{ FullName = $p } }
        }
        # DirectorySecurity is Windows-only in .NET: a stand-in that keeps its SDDL.
        Mock -ModuleName SnapReady.Host New-Object {
            $o = [pscustomobject]@{ Sddl = $null }
            $o | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptorSddlForm -Value { param($s) $this.Sddl = $s }
            $o
        } -ParameterFilter { $TypeName -eq 'System.Security.AccessControl.DirectorySecurity' }
        Mock -ModuleName SnapReady.Host Set-Acl {
            $LiteralPath = [string]$LiteralPath
            $script:AclLog.Add("$LiteralPath $($AclObject.Sddl)")
            # What Windows does: owner Administrators, rules protected.
            $script:Fs[$LiteralPath].owner = 'S-1-5-32-544'
            $script:Fs[$LiteralPath].protected = $true
        }
    }
    AfterEach {
        $env:ProgramData = $SavedProgramData
    }
    It 'applies the protected DACL (well-known SIDs only) to snapready, then snapready/<folder> (simulated)' -ForEach @(
        @{ folder = 'modules'; owner = 'S-1-5-32-544' }
        @{ folder = 'uploads'; owner = 'S-1-5-18' }
    ) {
        & $Add $Root $owner
        & $Add (Join-Path $Root $folder) $owner
        $r = & $Protect $folder
        $r.applied | Should -BeTrue
        $r.path | Should -Be (Join-Path $Root $folder)
        @($AclLog) | Should -Be @("$Root $Sddl", ((Join-Path $Root $folder) + " $Sddl"))
    }
    It 'refuses a junction (reparse point) as snapready/<folder> with config / SrHostGuestFolderUnsafe, and touches nothing in it (simulated)' -ForEach @(
        @{ folder = 'modules' }
        @{ folder = 'uploads' }
    ) {
        & $Add $Root
        $leaf = Join-Path $Root $folder
        & $Add $leaf 'S-1-5-32-544' ([IO.FileAttributes]::Directory -bor [IO.FileAttributes]::ReparsePoint)
        $e = { & $Protect $folder } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrHostGuestFolderUnsafe*'
        $e.TargetObject.srHostCategory | Should -Be 'config'
        $e.Exception.Message | Should -BeLike "*guest folder '$leaf' is unsafe: it is a junction or symbolic link (reparse point)*nothing was copied*"
        @($AclLog) | Should -Not -Contain "$leaf $Sddl"
        Should -Invoke -ModuleName SnapReady.Host Get-Acl -Times 0 -Exactly -ParameterFilter { [string]$LiteralPath -eq $leaf }
    }
    It 'refuses a snapready root owned by a local user, naming its owner SID, before any DACL is changed (simulated)' {
        & $Add $Root 'S-1-5-21-1-2-3-1001'
        & $Add (Join-Path $Root 'modules')
        $e = { & $Protect 'modules' } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrHostGuestFolderUnsafe*'
        $e.Exception.Message | Should -BeLike "*'$Root' is unsafe: its owner is S-1-5-21-1-2-3-1001, not SYSTEM (S-1-5-18) or Administrators (S-1-5-32-544)*"
        Should -Invoke -ModuleName SnapReady.Host Set-Acl -Times 0 -Exactly
    }
    It 'refuses a file (not a folder) where snapready/uploads should be (simulated)' {
        & $Add $Root
        & $Add (Join-Path $Root 'uploads') 'S-1-5-32-544' ([IO.FileAttributes]::Archive)
        { & $Protect 'uploads' } | Should -Throw -ExpectedMessage '*is unsafe: it is not a folder*'
    }
    It 'refuses a folder whose rules are still inherited after Set-Acl (someone raced it) (simulated)' {
        & $Add $Root
        & $Add (Join-Path $Root 'modules')
        Mock -ModuleName SnapReady.Host Set-Acl { $script:AclLog.Add([string]$LiteralPath) }
        { & $Protect 'modules' } | Should -Throw -ExpectedMessage "*'$Root' is unsafe: its access rules are still inherited from its parent after protecting it (after snapready protected it)*"
    }
    It 'refuses content under modules/<hash> that a local user planted before the folder was protected (simulated)' {
        & $Add $Root
        & $Add (Join-Path $Root 'modules')
        $hashFolder = Join-Path $Root 'modules' $Hash
        & $Add $hashFolder
        & $Add (Join-Path $hashFolder 'SnapReady.Guest')
        $planted = Join-Path $hashFolder 'SnapReady.Guest' 'SnapReady.Guest.psm1'
        & $Add $planted 'S-1-5-21-1-2-3-1001' ([IO.FileAttributes]::Archive)
        { & $Protect 'modules' $Hash } | Should -Throw -ExpectedMessage "*'$planted' is unsafe: its owner is S-1-5-21-1-2-3-1001*"
        # The same content owned by Administrators is accepted.
        $Fs[$planted].owner = 'S-1-5-32-544'
        (& $Protect 'modules' $Hash).applied | Should -BeTrue
    }
    It 'applies and enforces the policy it is given as arguments, nothing inline (simulated)' {
        # Another policy than the guest's: only SYSTEM accepted, another DACL, another owner text.
        Mock -ModuleName SnapReady.Host Get-SrProtectedFolderPolicy {
            [pscustomobject]@{ directorySddl = 'O:SYD:PAI(A;OICI;FA;;;S-1-5-18)'; ownerSids = [string[]]@('S-1-5-18'); ownerText = 'SYSTEM only (test policy)' }
        }
        & $Add $Root 'S-1-5-32-544'
        { & $Protect 'uploads' } | Should -Throw -ExpectedMessage "*'$Root' is unsafe: its owner is S-1-5-32-544, not SYSTEM only (test policy)*"
        @($AclLog) | Should -BeNullOrEmpty
        # Owned by SYSTEM it passes the first check and gets that policy's DACL (the Set-Acl stand-in then makes
        # Administrators the owner, which this policy refuses afterwards).
        $Fs[$Root].owner = 'S-1-5-18'
        { & $Protect 'uploads' } | Should -Throw -ExpectedMessage "*'$Root' is unsafe: its owner is S-1-5-32-544, not SYSTEM only (test policy) (after snapready protected it)*"
        @($AclLog) | Should -Be @("$Root O:SYD:PAI(A;OICI;FA;;;S-1-5-18)")
    }
    It 'refuses a junction under modules/<hash> (simulated)' {
        & $Add $Root
        & $Add (Join-Path $Root 'modules')
        $link = Join-Path $Root 'modules' $Hash
        & $Add $link 'S-1-5-32-544' ([IO.FileAttributes]::Directory -bor [IO.FileAttributes]::ReparsePoint)
        { & $Protect 'modules' $Hash } | Should -Throw -ExpectedMessage "*'$link' is unsafe: it is a junction or symbolic link*"
    }
}

Describe 'Protect-SrHostGuestFolder and the guest module share one folder policy (Get-SrProtectedFolderPolicy)' {
    It 'the host module''s Get-SrProtectedFolderPolicy is the guest module''s file, dot-sourced' {
        $command = & (Get-Module SnapReady.Host) { Get-Command -Name Get-SrProtectedFolderPolicy -CommandType Function }
        $command.ScriptBlock.File | Should -Be $PolicyFile
    }
    It 'passes exactly the guest''s SDDL, owner SIDs and owner text to its remote script block, as arguments' {
        $script:Sent = $null
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
            $script:Sent = @{ text = $ScriptBlock.ToString(); arguments = @($ArgumentList) }
            [pscustomobject]@{ applied = $true; path = 'C:\ProgramData\snapready\modules'; problemPath = $null; problem = $null }
        }
        (& $Protect 'modules' $Hash).applied | Should -BeTrue
        $Sent.arguments.Count | Should -Be 5
        $Sent.arguments[0] | Should -BeExactly 'modules'
        $Sent.arguments[1] | Should -BeExactly $Hash
        $Sent.arguments[2] | Should -BeExactly $GuestPolicy.directorySddl
        @($Sent.arguments[3]) | Should -BeExactly @($GuestPolicy.ownerSids)
        $Sent.arguments[4] | Should -BeExactly $GuestPolicy.ownerText
        # Nothing of the policy is written into the script text: it can only come from the arguments.
        $Sent.text | Should -Not -Match 'S-1-5-'
        $Sent.text | Should -Not -Match ([regex]::Escape('D:PAI('))
    }
    It 'no other string in SnapReady.Guest or SnapReady.Host spells the policy: it is defined once, in Get-SrProtectedFolderPolicy.ps1' {
        $found = [Collections.Generic.List[string]]::new()
        $files = @(Get-ChildItem -Path (Join-Path $RepoRoot 'guest' 'SnapReady.Guest'), (Join-Path $RepoRoot 'host' 'SnapReady.Host') -Recurse -Include '*.ps1', '*.psm1' -File)
        $files.Count | Should -BeGreaterThan 50
        foreach ($file in $files)
        {
            if ($file.FullName -eq $PolicyFile) { continue }
            $tokens = $null; $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
            # String tokens only: comments (help) may describe the policy.
            foreach ($token in @($tokens | Where-Object { $_ -is [System.Management.Automation.Language.StringToken] }))
            {
                $value = [string]$token.Value
                if ($value.Contains($GuestPolicy.directorySddl) -or $value.Contains($GuestPolicy.ownerText) -or $GuestPolicy.ownerSids -contains $value)
                {
                    $found.Add(('{0}:{1}: {2}' -f $file.Name, $token.Extent.StartLineNumber, $token.Text))
                }
            }
        }
        @($found) | Should -BeNullOrEmpty
    }
}

Describe 'Protect-SrHostGuestFolder on a remote that is not Windows (this Linux pwsh, as lab-ssh)' {
    It 'is not applied and reads no ACL' -Skip:($IsWindows) {
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand { & $ScriptBlock @ArgumentList }
        Mock -ModuleName SnapReady.Host Get-Acl { throw 'must not read ACLs off Windows' }
        Mock -ModuleName SnapReady.Host Set-Acl { throw 'must not set ACLs off Windows' }
        $r = & $Protect 'modules' $Hash
        $r.applied | Should -BeFalse
        $r.path | Should -BeNullOrEmpty
    }
    It 'a guest that gives no answer is an error, not a pass' {
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand { }
        { & $Protect 'uploads' } | Should -Throw -ErrorId 'SrHostGuestFolderUnchecked*'
    }
}

Describe 'Install-SrHostRemoteModule: protection first, fresh copy checked before it is renamed into place' {
    BeforeEach {
        $script:Module = Join-Path $TestDrive 'src' 'Tiny'
        $null = New-Item -ItemType Directory -Path (Join-Path $Module 'Private') -Force
        Set-Content -LiteralPath (Join-Path $Module 'Tiny.psd1') -Value "@{ ModuleVersion = '1.0' }"
        Set-Content -LiteralPath (Join-Path $Module 'Private' 'a.ps1') -Value 'function a { 1 }'
        $script:RemoteRoot = Join-Path $TestDrive ('remote-' + [guid]::NewGuid().ToString('N'))
        $script:Staging = Join-Path $RemoteRoot '.partial-1'
        $script:Target = Join-Path $RemoteRoot 'Tiny'
        $null = New-Item -ItemType Directory -Path $Staging -Force
        $script:Log = [Collections.Generic.List[string]]::new()
        $script:Tamper = $false
        Mock -ModuleName SnapReady.Host Protect-SrHostGuestFolder { $script:Log.Add("protect $Folder $Subfolder"); [pscustomobject]@{ applied = $true; path = '/x' } }
        Mock -ModuleName SnapReady.Host Copy-SrHostItemToSession {
            $script:Log.Add('copy')
            Copy-Item -LiteralPath $Path -Destination $Destination -Recurse
            # A local user rewriting a file of the copy before the commit.
            if ($script:Tamper) { Add-Content -LiteralPath (Join-Path $Destination 'Tiny' 'Private' 'a.ps1') -Value 'Start-Process evil' }
        }
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
            $text = $ScriptBlock.ToString()
            if ($text -match 'Move-Item') { $script:Log.Add('commit'); return & $ScriptBlock @ArgumentList }
            if ($text -match 'Import-Module') { $script:Log.Add('import'); return [pscustomobject]@{ imported = $true; policy = 'Bypass'; scope = $null; bypassed = $false } }
            if ($text -match 'Get-FileHash') { $script:Log.Add('probe'); return [pscustomobject]@{ valid = $false; staging = $script:Staging; target = $script:Target; manifestPath = (Join-Path $script:Target 'Tiny.psd1') } }
            throw "unexpected remote script: $text"
        }
        $script:Install = {
            & (Get-Module SnapReady.Host) {
                param($m, $h)
                Install-SrHostRemoteModule -Session ([pscustomobject]@{ State = 'Opened' }) -ModulePath $m -CodeHash $h -Deadline ([datetime]::UtcNow.AddMinutes(1))
            } $Module $Hash
        }
    }
    It 'protects the modules folder (with the <hash> content) before the probe, then copies, commits and imports' {
        $r = & $Install
        $r.copied | Should -BeTrue
        @($Log) | Should -Be @("protect modules $Hash", 'probe', 'copy', 'commit', 'import')
        Test-Path -LiteralPath (Join-Path $Target 'Private' 'a.ps1') | Should -BeTrue
        Test-Path -LiteralPath $Staging | Should -BeFalse
    }
    It 'a copy that differs from the runner files is deleted, never renamed into place or imported (guest / SrHostModuleCopyMismatch)' {
        $script:Tamper = $true
        $e = { & $Install } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SrHostModuleCopyMismatch*'
        $e.TargetObject.srHostCategory | Should -Be 'guest'
        $e.Exception.Message | Should -BeLike '*Private/a.ps1 differs*not imported*'
        @($Log) | Should -Not -Contain 'import'
        Test-Path -LiteralPath $Target | Should -BeFalse
        Test-Path -LiteralPath $Staging | Should -BeFalse
    }
    It 'a guest folder refused by the protection stops before anything is probed or copied' {
        Mock -ModuleName SnapReady.Host Protect-SrHostGuestFolder { throw (& (Get-Module SnapReady.Host) { New-SrHostErrorRecord -Category config -ErrorId 'SrHostGuestFolderUnsafe' -Message 'unsafe' }) }
        { & $Install } | Should -Throw -ErrorId 'SrHostGuestFolderUnsafe*'
        @($Log) | Should -BeNullOrEmpty
    }
}
