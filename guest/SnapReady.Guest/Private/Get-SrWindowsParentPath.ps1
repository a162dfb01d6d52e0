function Get-SrWindowsParentPath
{
    <#
    .SYNOPSIS
        Returns the parent folder of a Windows path, as a string operation.

    .DESCRIPTION
        Independent of the host's path rules (System.IO.Path treats '\' as
        an ordinary character on Linux), so results are the same on Windows,
        in the lab and in tests. A trailing backslash is removed first.

    .PARAMETER Path
        A Windows path such as C:\Program Files\Qemu-ga\qemu-ga.exe.

    .EXAMPLE
        Get-SrWindowsParentPath -Path 'C:\Program Files\Qemu-ga\qemu-ga.exe'

    .OUTPUTS
        System.String, or $null when the path has no parent.
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

    $trimmed = $Path.TrimEnd('\')
    $index = $trimmed.LastIndexOf('\')
    if ($index -le 0)
    {
        return $null
    }
    $trimmed.Substring(0, $index)
}
