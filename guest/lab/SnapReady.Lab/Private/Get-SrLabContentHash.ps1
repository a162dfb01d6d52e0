function Get-SrLabContentHash
{
    <#
    .SYNOPSIS
        SHA-256 of a lab file's content.

    .DESCRIPTION
        Lab files are text; their hash is the SHA-256 of the UTF-8 bytes, as
        upper-case hex (the format of Get-FileHash).

    .PARAMETER Content
        The file content.

    .EXAMPLE
        Get-SrLabContentHash -Content 'LAB-MSI|qemu-ga|108.0.2|x64'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $Content
    )

    $sha = [System.Security.Cryptography.SHA256]::Create()
    try
    {
        $bytes = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Content))
    }
    finally
    {
        $sha.Dispose()
    }
    ([System.BitConverter]::ToString($bytes) -replace '-', '').ToUpperInvariant()
}
