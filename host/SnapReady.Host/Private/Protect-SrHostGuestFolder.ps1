function Protect-SrHostGuestFolder
{
    <#
    .SYNOPSIS
        Makes sure the guest folders the host writes into can be written only by SYSTEM and Administrators.

    .DESCRIPTION
        On a default Windows, local users may create files, folders and
        junctions under C:\ProgramData. A folder a user created first (or a
        junction to a folder the user owns) would let that user swap the
        guest module's files between the copy and Import-Module (which runs
        as administrator), or plant the runner's upload. So, before anything
        is copied, one constant script block runs on the guest (values only
        as arguments; Windows PowerShell 5.1 / .NET 4.5 or PowerShell 7; the
        guest module is not imported yet, so the logic is inline) and handles
        $env:ProgramData\snapready and $env:ProgramData\snapready\<Folder>,
        from the top down, like the guest's own Protect-SrStagingDirectory.
        The policy is the guest module's: Get-SrProtectedFolderPolicy
        (guest/SnapReady.Guest/Private, dot-sourced by this module) gives
        the DACL and the accepted owners, passed to the script block as
        arguments:
          - an existing folder must be a folder, not a reparse point
            (junction or symbolic link: Get-Item -Force attributes, which do
            not follow the link), and owned by SYSTEM (S-1-5-18) or
            Administrators (S-1-5-32-544) (the policy's ownerSids), read as
            a SID; otherwise nothing is changed and the answer is config /
            SrHostGuestFolderUnsafe, naming the path and what is wrong;
          - then it gets the policy's protected DACL (directorySddl: owner
            Administrators, no inheritance from the parent, full control for
            SYSTEM and Administrators only) with Set-Acl, or a missing one
            is created with it in one call
            (Directory.CreateDirectory(path, DirectorySecurity) on .NET
            Framework, FileSystemAclExtensions.CreateDirectory on .NET 5+);
          - read again, it must be a protected folder, not a reparse point,
            owned by SYSTEM or Administrators (someone may have raced the
            creation), else SrHostGuestFolderUnsafe.
        With -Subfolder (the module's <hash> folder under modules), every
        folder and file below <Folder>\<Subfolder> must also be no reparse
        point and be owned by SYSTEM, Administrators or the account of the
        session (files the copy created): content a local user planted
        before the folder was protected is refused the same way, since its
        owner could still change it.
        Not applied on a remote that is not Windows (the lab-ssh transport's
        loopback sshd on Linux, whose folders are under the temp folder):
        the answer is then applied = false.

    .PARAMETER Session
        The open PSSession.

    .PARAMETER Folder
        The folder under $env:ProgramData\snapready: modules or uploads.

    .PARAMETER Subfolder
        Optional folder under -Folder whose whole content is checked too
        (the pinned guest code hash). Default: none.

    .PARAMETER Deadline
        UTC time by which the remote step must be done (Invoke-SrHostSessionCommand;
        an overrun closes the session: retryable timeout, SrHostCallTimeout).

    .PARAMETER Activity
        What is prepared, for messages, e.g. "preparing module SnapReady.Guest on the guest".

    .EXAMPLE
        Protect-SrHostGuestFolder -Session $session -Folder modules -Subfolder $hash -Deadline ([datetime]::UtcNow.AddMinutes(1)) -Activity 'preparing module SnapReady.Guest on the guest'

    .OUTPUTS
        System.Management.Automation.PSCustomObject: applied (false on a
        remote that is not Windows), path (the protected <Folder>, or $null).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [object]
        $Session,

        [Parameter(Mandatory = $true)]
        [ValidateSet('modules', 'uploads')]
        [string]
        $Folder,

        [Parameter()]
        [AllowEmptyString()]
        [ValidatePattern('^([0-9a-f]{64})?$')]
        [string]
        $Subfolder = '',

        [Parameter(Mandatory = $true)]
        [datetime]
        $Deadline,

        [Parameter(Mandatory = $true)]
        [string]
        $Activity
    )

    # Runs remotely (Windows PowerShell 5.1 / .NET 4.5, or PowerShell 7), before the guest module is imported.
    # $Sddl, $TrustedOwnerSids and $TrustedOwnerText are the guest module's policy (Get-SrProtectedFolderPolicy).
    # $SimulateWindows is passed only by the Pester tests (Windows behaviour simulated on Linux); the host never passes it.
    $guard = {
        param(
            [string] $Leaf,
            [string] $Inner,
            [ValidateNotNullOrEmpty()] [string] $Sddl,
            [ValidateNotNullOrEmpty()] [string[]] $TrustedOwnerSids,
            [ValidateNotNullOrEmpty()] [string] $TrustedOwnerText,
            [bool] $SimulateWindows
        )
        $ErrorActionPreference = 'Stop'
        if (-not $SimulateWindows -and [System.Environment]::OSVersion.Platform -ne [System.PlatformID]::Win32NT)
        {
            # Not Windows (lab-ssh: PowerShell 7 on Linux, folders under the temp folder): not applied.
            return New-Object -TypeName PSObject -Property @{ applied = $false; path = $null; problemPath = $null; problem = $null }
        }
        $trusted = $TrustedOwnerSids
        $root = Join-Path -Path $env:ProgramData -ChildPath 'snapready'
        $leafPath = Join-Path -Path $root -ChildPath $Leaf
        # What decides: $null when nothing exists, else kind, reparse point, owner SID, protection.
        $read = {
            param([string] $Path)
            try
            {
                $item = Get-Item -LiteralPath $Path -Force -ErrorAction Stop
            }
            catch [System.Management.Automation.ItemNotFoundException]
            {
                return $null
            }
            $attributes = [System.IO.FileAttributes]$item.Attributes
            $state = @{
                isDirectory    = ($attributes -band [System.IO.FileAttributes]::Directory) -ne 0
                isReparsePoint = ($attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0
                ownerSid       = $null
                protected      = $false
            }
            if (-not $state.isReparsePoint)
            {
                try
                {
                    $acl = Get-Acl -LiteralPath $Path -ErrorAction Stop
                    $owner = $acl.GetOwner([System.Security.Principal.SecurityIdentifier])
                    if ($null -ne $owner) { $state.ownerSid = [string]$owner.Value }
                    $state.protected = [bool]$acl.AreAccessRulesProtected
                }
                catch
                {
                    $state.ownerSid = $null
                }
            }
            $state
        }
        # What is wrong with a read state ($null: nothing).
        $judge = {
            param([hashtable] $State, [string[]] $Owners, [bool] $MustBeFolder, [bool] $MustBeProtected)
            $problems = New-Object -TypeName System.Collections.Generic.List[string]
            if ($MustBeFolder -and -not $State.isDirectory) { $problems.Add('it is not a folder') }
            if ($State.isReparsePoint)
            {
                $problems.Add('it is a junction or symbolic link (reparse point)')
            }
            elseif ($Owners -notcontains [string]$State.ownerSid)
            {
                $owner = 'unknown (unreadable)'
                if (-not [string]::IsNullOrEmpty([string]$State.ownerSid)) { $owner = [string]$State.ownerSid }
                $problems.Add(('its owner is {0}, not {1}' -f $owner, $TrustedOwnerText))
            }
            if ($MustBeProtected -and $problems.Count -eq 0 -and -not $State.protected) { $problems.Add('its access rules are still inherited from its parent after protecting it') }
            if ($problems.Count -eq 0) { return $null }
            $problems -join '; '
        }
        $unsafe = {
            param([string] $Path, [string] $Problem)
            New-Object -TypeName PSObject -Property @{ applied = $false; path = $null; problemPath = $Path; problem = $Problem }
        }
        foreach ($folder in @($root, $leafPath))
        {
            $state = & $read $folder
            if ($null -eq $state)
            {
                $security = New-Object -TypeName System.Security.AccessControl.DirectorySecurity
                $security.SetSecurityDescriptorSddlForm($Sddl)
                # Created with its descriptor in one call: no moment in which local users could write into it.
                $extensions = 'System.IO.FileSystemAclExtensions' -as [type]
                if ($null -ne $extensions) { $null = $extensions::CreateDirectory($security, $folder) }
                else { $null = [System.IO.Directory]::CreateDirectory($folder, $security) }
            }
            else
            {
                $problem = & $judge $state $trusted $true $false
                if ($null -ne $problem) { return (& $unsafe $folder $problem) }
                $security = New-Object -TypeName System.Security.AccessControl.DirectorySecurity
                $security.SetSecurityDescriptorSddlForm($Sddl)
                Set-Acl -LiteralPath $folder -AclObject $security
            }
            $state = & $read $folder
            if ($null -eq $state) { return (& $unsafe $folder 'it cannot be read after it was created') }
            $problem = & $judge $state $trusted $true $true
            if ($null -ne $problem) { return (& $unsafe $folder ($problem + ' (after snapready protected it)')) }
        }
        if (-not [string]::IsNullOrEmpty($Inner))
        {
            # Content planted before the folder was protected stays its planter's: refuse it.
            $owners = $trusted
            try { $owners = $trusted + @([System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value) } catch { $owners = $trusted }
            $pending = New-Object -TypeName System.Collections.Generic.Stack[string]
            $pending.Push((Join-Path -Path $leafPath -ChildPath $Inner))
            while ($pending.Count -gt 0)
            {
                $path = $pending.Pop()
                $state = & $read $path
                if ($null -eq $state) { continue }
                $problem = & $judge $state $owners $false $false
                if ($null -ne $problem) { return (& $unsafe $path $problem) }
                if ($state.isDirectory)
                {
                    foreach ($child in @(Get-ChildItem -LiteralPath $path -Force))
                    {
                        $pending.Push($child.FullName)
                    }
                }
            }
        }
        New-Object -TypeName PSObject -Property @{ applied = $true; path = $leafPath; problemPath = $null; problem = $null }
    }

    $policy = Get-SrProtectedFolderPolicy
    $arguments = @($Folder, $Subfolder, [string]$policy.directorySddl, [string[]]$policy.ownerSids, [string]$policy.ownerText)
    $answer = @(Invoke-SrHostSessionCommand -Session $Session -ScriptBlock $guard -ArgumentList $arguments -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $Deadline) -Activity $Activity) |
        Where-Object { $null -ne $_ -and $null -ne $_.PSObject.Properties['applied'] } | Select-Object -Last 1
    if ($null -eq $answer)
    {
        throw (New-SrHostErrorRecord -Category guest -ErrorId 'SrHostGuestFolderUnchecked' -Message (
                '{0}: the guest gave no answer while securing its snapready\{1} folder' -f $Activity, $Folder))
    }
    if (-not [string]::IsNullOrEmpty([string]$answer.problem))
    {
        throw (New-SrHostErrorRecord -Category config -ErrorId 'SrHostGuestFolderUnsafe' -Message (
                "{0}: the guest folder '{1}' is unsafe: {2}. A local user may have created it to swap snapready's files before they run as administrator; nothing was copied. Check who created it, remove it, and connect again: snapready then creates it with access for SYSTEM and Administrators only." -f $Activity, $answer.problemPath, $answer.problem))
    }
    [pscustomobject][ordered]@{ applied = [bool]$answer.applied; path = $answer.path }
}
