function Protect-SrStagingDirectory
{
    <#
    .SYNOPSIS
        Makes sure a folder snapready stages installers in can be written only by SYSTEM and Administrators.

    .DESCRIPTION
        On a default Windows, local users may create files, folders and
        junctions in every folder under C:\ProgramData. A folder that a user
        created first (for example a junction to a folder the user owns)
        would let that user swap the installer after its SHA-256 was
        checked and before it runs as SYSTEM. So the folder -Path, and its
        parent when that is snapready's root (a folder named snapready,
        C:\ProgramData\snapready), are handled from the top down:
          - an existing folder must be a folder, not a reparse point
            (junction or symbolic link), and owned by SYSTEM (S-1-5-18) or
            Administrators (S-1-5-32-544), the ownerSids of
            Get-SrProtectedFolderPolicy; otherwise the terminating error
            SrStagingFolderUnsafe (SecurityError) names the path and what is
            wrong, and nothing is changed;
          - then Protect-SrPlatformDirectory creates it, or re-applies, with
            the policy's protected DACL: SYSTEM and Administrators full
            control only, owner Administrators, no inheritance from the
            parent;
          - read again, it must now be a protected folder owned by
            Administrators or SYSTEM, and not a reparse point (someone may
            have created it in between): otherwise SrStagingFolderUnsafe.
        With -OnlyInSnapreadyRoot nothing is done unless the parent of -Path
        is snapready's root: the runner's upload folder is
        C:\ProgramData\snapready\uploads on a remote guest, but the runner's
        own temp folder with the local and lab transports.

    .PARAMETER Path
        The folder (Windows path; a lab guest's upload folder may be a path
        of the machine running the lab).

    .PARAMETER OnlyInSnapreadyRoot
        Only handle -Path when its parent is a folder named snapready.

    .EXAMPLE
        Protect-SrStagingDirectory -Path 'C:\ProgramData\snapready\installers'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path,

        [Parameter()]
        [switch]
        $OnlyInSnapreadyRoot
    )

    $separators = [char[]]@('\', '/')
    $folder = $Path.TrimEnd($separators)
    $folders = New-Object -TypeName System.Collections.Generic.List[string]
    $cut = $folder.LastIndexOfAny($separators)
    if ($cut -gt 0)
    {
        $parent = $folder.Substring(0, $cut)
        if ($parent.Substring($parent.LastIndexOfAny($separators) + 1) -eq 'snapready')
        {
            $folders.Add($parent)
        }
    }
    if ($OnlyInSnapreadyRoot -and $folders.Count -eq 0)
    {
        return
    }
    $folders.Add($folder)

    $policy = Get-SrProtectedFolderPolicy
    foreach ($current in $folders)
    {
        foreach ($stage in @('before', 'after'))
        {
            $security = Get-SrPlatformDirectorySecurity -Path $current
            $problems = New-Object -TypeName System.Collections.Generic.List[string]
            if ($null -eq $security)
            {
                # Missing before: Protect-SrPlatformDirectory creates it.
                if ($stage -eq 'after')
                {
                    $problems.Add('it cannot be read after it was created')
                }
            }
            else
            {
                if (-not $security.isDirectory)
                {
                    $problems.Add('it is not a folder')
                }
                if ($security.isReparsePoint)
                {
                    $problems.Add('it is a junction or symbolic link (reparse point)')
                }
                if ($policy.ownerSids -notcontains [string]$security.ownerSid)
                {
                    $owner = 'unknown (unreadable)'
                    if (-not [string]::IsNullOrEmpty([string]$security.ownerSid)) { $owner = [string]$security.ownerSid }
                    $problems.Add(('its owner is {0}, not {1}' -f $owner, $policy.ownerText))
                }
                if ($stage -eq 'after' -and $problems.Count -eq 0 -and -not $security.accessRulesProtected)
                {
                    $problems.Add('its access rules are still inherited from its parent after protecting it')
                }
            }
            if ($problems.Count -gt 0)
            {
                $ownerSid = $null
                $reparse = $null
                if ($null -ne $security) { $ownerSid = $security.ownerSid; $reparse = [bool]$security.isReparsePoint }
                $when = 'refusing to stage or install through it'
                if ($stage -eq 'after') { $when = 'after snapready protected it; refusing to stage or install through it' }
                $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrStagingFolderUnsafe' -Category SecurityError -Property @{ path = $current; ownerSid = $ownerSid; reparsePoint = $reparse } -Message (
                            "The staging folder '{0}' is unsafe: {1} ({2}). A local user may have created it to swap the installer before it runs as SYSTEM. Check who created it, remove it, and run again: snapready then creates it with access for SYSTEM and Administrators only." -f $current, ($problems -join '; '), $when)))
            }
            if ($stage -eq 'before')
            {
                Protect-SrPlatformDirectory -Path $current
            }
        }
    }
}
