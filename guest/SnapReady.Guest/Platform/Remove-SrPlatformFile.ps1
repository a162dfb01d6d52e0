function Remove-SrPlatformFile
{
    <#
    .SYNOPSIS
        Deletes a file if it exists (platform layer).

    .DESCRIPTION
        Thin wrapper over Remove-Item -LiteralPath -Force.

    .PARAMETER Path
        File path.

    .EXAMPLE
        Remove-SrPlatformFile -Path 'C:\ProgramData\snapready\installers\bad.msi'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
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

    if (Test-Path -LiteralPath $Path -PathType Leaf)
    {
        Remove-Item -LiteralPath $Path -Force
    }
}
