function Get-SrHostFileManifest
{
    <#
    .SYNOPSIS
        Lists the files of a module folder with their SHA-256.

    .DESCRIPTION
        Returns a hashtable: relative path ('/' separators) -> upper-case
        SHA-256 of the bytes. The remote side computes the same over its
        copy (Install-SrHostRemoteModule); a copy that differs in any file,
        misses one or has an extra one is replaced before it is imported.

    .PARAMETER Path
        The module folder.

    .EXAMPLE
        $manifest = Get-SrHostFileManifest -Path '/repo/guest/SnapReady.Guest'

    .OUTPUTS
        System.Collections.Hashtable.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path
    )

    $root = [System.IO.Path]::GetFullPath($Path)
    $manifest = @{}
    foreach ($file in [System.IO.Directory]::GetFiles($root, '*', [System.IO.SearchOption]::AllDirectories))
    {
        $relative = [System.IO.Path]::GetRelativePath($root, $file).Replace([System.IO.Path]::DirectorySeparatorChar, '/')
        $manifest[$relative] = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash
    }
    $manifest
}
