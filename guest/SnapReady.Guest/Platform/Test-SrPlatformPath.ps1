function Test-SrPlatformPath
{
    <#
    .SYNOPSIS
        Tells whether a file exists (platform layer).

    .DESCRIPTION
        Thin wrapper over Test-Path -LiteralPath -PathType Leaf.

    .PARAMETER Path
        File path.

    .EXAMPLE
        Test-SrPlatformPath -Path 'C:\Program Files\Qemu-ga\qga-vss.dll'

    .OUTPUTS
        System.Boolean.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
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

    [bool](Test-Path -LiteralPath $Path -PathType Leaf)
}
