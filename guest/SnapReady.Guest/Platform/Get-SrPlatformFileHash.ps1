function Get-SrPlatformFileHash
{
    <#
    .SYNOPSIS
        Computes the SHA-256 of a file (platform layer).

    .DESCRIPTION
        Thin wrapper over Get-FileHash -Algorithm SHA256 -LiteralPath.

    .PARAMETER Path
        File path.

    .EXAMPLE
        Get-SrPlatformFileHash -Path 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'

    .OUTPUTS
        System.String: 64 upper-case hex digits.
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

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToUpperInvariant()
}
