function Add-SrLabFile
{
    <#
    .SYNOPSIS
        Adds a file to a lab guest, or a remote (https/UNC) source.

    .DESCRIPTION
        For tests that need extra media. With -Remote the file is served to
        Invoke-SrPlatformDownload / Copy-SrPlatformFile under -Path (a URL or
        UNC path); otherwise it is created in the guest's file system.

    .PARAMETER StatePath
        State file.

    .PARAMETER Path
        Guest file path, or URL/UNC path with -Remote.

    .PARAMETER Content
        Text content (lab installers: 'LAB-MSI|qemu-ga|<version>|<x64|x86>').

    .PARAMETER Remote
        Register a remote source instead of a guest file.

    .EXAMPLE
        Add-SrLabFile -StatePath $path -Path 'C:\stage\qemu-ga-x86_64.msi' -Content 'LAB-MSI|qemu-ga|109.0.0|x64'

    .OUTPUTS
        System.String: the SHA-256 of the content.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $StatePath,

        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $Content,

        [Parameter()]
        [switch]
        $Remote
    )

    $state = Read-SrLabState -Path $StatePath
    if ($Remote)
    {
        $state.remote[$Path.ToLowerInvariant()] = [ordered]@{ source = $Path; content = $Content; certificate = $null }
    }
    else
    {
        Set-SrLabFile -State $state -Path $Path -Content $Content
    }
    Write-SrLabState -Path $StatePath -State $state
    Get-SrLabContentHash -Content $Content
}
