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

    # Plain loops and direct .NET calls: this runs on every cold step, where
    # pipeline cmdlets and script-block calls per file showed in the profile.
    $root = [System.IO.Path]::GetFullPath($Path)
    # One directory walk gives names, sizes and times (no FileInfo per file).
    $infos = ([System.IO.DirectoryInfo]::new($root)).GetFiles('*', [System.IO.SearchOption]::AllDirectories)
    $full = [string[]]::new($infos.Length)
    for ($i = 0; $i -lt $infos.Length; $i++) { $full[$i] = $infos[$i].FullName }
    [System.Array]::Sort($full, $infos, [System.StringComparer]::Ordinal)
    $fingerprint = New-Object -TypeName System.Text.StringBuilder
    for ($i = 0; $i -lt $infos.Length; $i++)
    {
        $null = $fingerprint.Append($full[$i]).Append('|').Append($infos[$i].Length).Append('|').Append($infos[$i].LastWriteTimeUtc.Ticks).Append("`n")
    }
    $fingerprint = $fingerprint.ToString()
    $cached = $script:SrHostModuleHashCache[$root]
    if ($null -ne $cached -and $cached.fingerprint -ceq $fingerprint)
    {
        return $cached.hash
    }
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try
    {
        $relatives = New-Object -TypeName 'System.Collections.Generic.List[string]'
        foreach ($file in $full)
        {
            $relatives.Add([System.IO.Path]::GetRelativePath($root, $file).Replace([System.IO.Path]::DirectorySeparatorChar, '/'))
        }
        $sorted = $relatives.ToArray()
        [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
        $lines = New-Object -TypeName System.Text.StringBuilder
        foreach ($relative in $sorted)
        {
            $text = [System.Text.Encoding]::UTF8.GetString([System.IO.File]::ReadAllBytes([System.IO.Path]::Combine($root, $relative))).Replace("`r`n", "`n")
            $digest = [System.Convert]::ToHexString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text))).ToLowerInvariant()
            if ($lines.Length -gt 0) { $null = $lines.Append("`n") }
            $null = $lines.Append($relative).Append([char]0).Append($digest)
        }
        $hash = [System.Convert]::ToHexString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($lines.ToString()))).ToLowerInvariant()
        $script:SrHostModuleHashCache[$root] = @{ fingerprint = $fingerprint; hash = $hash }
        $hash
    }
    finally
    {
        $sha.Dispose()
    }
}
