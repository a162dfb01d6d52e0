function Reset-SrPlatformFileSecurity
{
    <#
    .SYNOPSIS
        Makes a staged file owned by Administrators and secured only by what its folder passes on (platform layer).

    .DESCRIPTION
        A file moved within one volume keeps its old security descriptor, and
        a file that someone else created before snapready wrote into it keeps
        its owner. This replaces both with SDDL of well-known SIDs:
          O:S-1-5-32-544D:AI
        owner BUILTIN\Administrators, no explicit access rules, inheritance
        from the folder enabled; Windows then gives the file exactly the
        inheritable rules of its (protected) folder: SYSTEM and
        Administrators. Written with Set-Acl.

    .PARAMETER Path
        File path.

    .EXAMPLE
        Reset-SrPlatformFileSecurity -Path 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'

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

    $security = New-Object -TypeName System.Security.AccessControl.FileSecurity
    $security.SetSecurityDescriptorSddlForm('O:S-1-5-32-544D:AI')
    Set-Acl -LiteralPath $Path -AclObject $security
}
