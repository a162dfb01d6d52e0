function Get-SrPlatformFileContent
{
    <#
    .SYNOPSIS
        Reads a text file as lines (platform layer).

    .DESCRIPTION
        Returns the lines of the file, or $null when it does not exist.

    .PARAMETER Path
        File path.

    .EXAMPLE
        Get-SrPlatformFileContent -Path 'C:\Program Files\Qemu-ga\qemu-ga.conf'

    .OUTPUTS
        System.String[] or $null.
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
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

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf))
    {
        return $null
    }
    return , [string[]][System.IO.File]::ReadAllLines($Path)
}
