function New-SrPlatformDirectory
{
    <#
    .SYNOPSIS
        Creates a directory if it does not exist (platform layer).

    .DESCRIPTION
        Thin wrapper over New-Item -ItemType Directory -Force.

    .PARAMETER Path
        Directory path.

    .EXAMPLE
        New-SrPlatformDirectory -Path 'C:\ProgramData\snapready\installers'

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

    if (-not (Test-Path -LiteralPath $Path -PathType Container))
    {
        $null = [System.IO.Directory]::CreateDirectory($Path)
    }
}
