function Get-SrPlatformDirectorySecurity
{
    <#
    .SYNOPSIS
        Reads what decides whether a folder is safe to stage installers in (platform layer).

    .DESCRIPTION
        Returns $null when nothing exists at -Path. Otherwise reads the item
        itself, without following a junction or symbolic link
        (Get-Item -Force: its Attributes tell a folder and a reparse point),
        and its security descriptor (Get-Acl): the owner as a SID string
        (never an account name, which Windows translates) and whether the
        access rules are protected from inheritance. An owner that cannot be
        read is reported as $null. Save-SrInstaller refuses a folder that is
        a reparse point or whose owner is not SYSTEM or Administrators
        (Protect-SrStagingDirectory).

    .PARAMETER Path
        Folder path.

    .EXAMPLE
        Get-SrPlatformDirectorySecurity -Path 'C:\ProgramData\snapready\installers'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with path, isDirectory,
        isReparsePoint, ownerSid and accessRulesProtected, or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
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

    try
    {
        $item = Get-Item -LiteralPath $Path -Force -ErrorAction Stop
    }
    catch [System.Management.Automation.ItemNotFoundException]
    {
        return $null
    }
    $attributes = [System.IO.FileAttributes]$item.Attributes
    $ownerSid = $null
    $protected = $false
    try
    {
        $acl = Get-Acl -LiteralPath $Path -ErrorAction Stop
        $owner = $acl.GetOwner([System.Security.Principal.SecurityIdentifier])
        if ($null -ne $owner)
        {
            $ownerSid = [string]$owner.Value
        }
        $protected = [bool]$acl.AreAccessRulesProtected
    }
    catch
    {
        Write-Verbose -Message ("The security descriptor of '{0}' cannot be read: {1}" -f $Path, $_.Exception.Message)
    }
    [pscustomobject]@{
        path                 = $Path
        isDirectory          = ($attributes -band [System.IO.FileAttributes]::Directory) -ne 0
        isReparsePoint       = ($attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0
        ownerSid             = $ownerSid
        accessRulesProtected = $protected
    }
}
