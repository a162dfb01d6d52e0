function Copy-SrPlatformFile
{
    <#
    .SYNOPSIS
        Copies a file, for example from a UNC share (platform layer).

    .DESCRIPTION
        Thin wrapper over Copy-Item -LiteralPath -Force.

    .PARAMETER Source
        Source file path (local or \\server\share\...).

    .PARAMETER Destination
        Destination file path.

    .EXAMPLE
        Copy-SrPlatformFile -Source '\\fileserver\share\qemu-ga-x86_64.msi' -Destination 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'

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
        $Source,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Destination
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    Copy-Item -LiteralPath $Source -Destination $Destination -Force
}
