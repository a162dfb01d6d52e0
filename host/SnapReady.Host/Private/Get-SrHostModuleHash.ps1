function Get-SrHostModuleHash
{
    <#
    .SYNOPSIS
        Computes the guest code hash of a module folder, as src/guest-code.ts does.

    .DESCRIPTION
        sha256 (lower-case hex) over every file below -Path, sorted by
        relative path ('/' separators, ordinal order): for each file the line
        "<relative path> NUL <sha256 of its UTF-8 text with CRLF folded to
        LF>", lines joined by LF. The runner pins this hash in every step; the
        host refuses to ship a module whose hash differs, so the remote folder
        named by the hash always holds exactly that code.

    .PARAMETER Path
        The module folder (for example guest/SnapReady.Guest).

    .EXAMPLE
        Get-SrHostModuleHash -Path '/repo/guest/SnapReady.Guest'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path
    )

    $root = [System.IO.Path]::GetFullPath($Path)
    # Every connect checks the hash; a long-lived worker serves many guests.
    # The hash is recomputed only when a file's name, size or write time changed.
    $infos = @([System.IO.DirectoryInfo]::new($root).GetFiles('*', [System.IO.SearchOption]::AllDirectories))
    $fingerprint = (@($infos | Sort-Object -Property FullName | ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, $_.Length, $_.LastWriteTimeUtc.Ticks }) -join "`n")
    $cached = $script:SrHostModuleHashCache[$root]
    if ($null -ne $cached -and $cached.fingerprint -ceq $fingerprint)
    {
        return $cached.hash
    }
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try
    {
        $hex = {
            param([string] $Text)
            ([System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text))) -replace '-', '').ToLowerInvariant()
        }
        $files = @([System.IO.Directory]::GetFiles($root, '*', [System.IO.SearchOption]::AllDirectories) |
                ForEach-Object { [System.IO.Path]::GetRelativePath($root, $_).Replace([System.IO.Path]::DirectorySeparatorChar, '/') })
        $sorted = [string[]]$files
        [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
        $parts = foreach ($relative in $sorted)
        {
            $text = [System.Text.Encoding]::UTF8.GetString([System.IO.File]::ReadAllBytes((Join-Path -Path $root -ChildPath $relative)))
            '{0}{1}{2}' -f $relative, [char]0, (& $hex $text.Replace("`r`n", "`n"))
        }
        $hash = & $hex (@($parts) -join "`n")
        $script:SrHostModuleHashCache[$root] = @{ fingerprint = $fingerprint; hash = $hash }
        $hash
    }
    finally
    {
        $sha.Dispose()
    }
}
