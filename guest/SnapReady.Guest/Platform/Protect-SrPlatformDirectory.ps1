function Protect-SrPlatformDirectory
{
    <#
    .SYNOPSIS
        Creates a folder, or re-secures an existing one, so that only SYSTEM and Administrators can use it (platform layer).

    .DESCRIPTION
        The security descriptor is the SDDL directorySddl of
        Get-SrProtectedFolderPolicy (its one definition, which the host
        module applies too), of well-known SIDs only (no account names,
        which are translated on a Japanese Windows): owner
        BUILTIN\Administrators, inheritance from the parent disabled, and
        full control for SYSTEM and Administrators on the folder, its
        subfolders and files, nothing for anyone else.
        A missing folder is created with that descriptor in one call
        (Directory.CreateDirectory(path, DirectorySecurity) on .NET
        Framework, FileSystemAclExtensions.CreateDirectory on .NET 5+), so
        there is no moment in which local users could write into it. An
        existing folder gets it with Set-Acl, which also re-applies the
        inherited rules of its files and subfolders. The caller checks the
        folder before (it must not be a junction or owned by someone else)
        and after (Get-SrPlatformDirectorySecurity).

    .PARAMETER Path
        Folder path.

    .EXAMPLE
        Protect-SrPlatformDirectory -Path 'C:\ProgramData\snapready\installers'

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
        $Path
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $security = New-Object -TypeName System.Security.AccessControl.DirectorySecurity
    $security.SetSecurityDescriptorSddlForm((Get-SrProtectedFolderPolicy).directorySddl)
    if (Test-Path -LiteralPath $Path -PathType Container)
    {
        Set-Acl -LiteralPath $Path -AclObject $security
        return
    }
    # Created with its descriptor in one call: .NET 5+ (PowerShell 7) has
    # FileSystemAclExtensions, .NET Framework (Windows PowerShell 5.1) the
    # CreateDirectory overload that .NET Core lacks.
    $extensions = 'System.IO.FileSystemAclExtensions' -as [type]
    if ($null -ne $extensions)
    {
        $null = $extensions::CreateDirectory($security, $Path)
    }
    else
    {
        $null = [System.IO.Directory]::CreateDirectory($Path, $security)
    }
}
