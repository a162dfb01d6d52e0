function Import-SrPlatformUpload
{
    <#
    .SYNOPSIS
        Moves a file the runner uploaded through the remoting session to its place (platform layer).

    .DESCRIPTION
        Thin wrapper over Move-Item -LiteralPath <Path> -Destination
        <Destination> -Force. -Path is a real file that the runner copied
        into the guest (Copy-Item -ToSession, or a local copy for the local
        transport); after the move it no longer exists. The lab implements
        it by reading the real upload into its simulated file system (as
        UTF-8 text) and deleting the upload.

    .PARAMETER Path
        The uploaded file.

    .PARAMETER Destination
        Where the file goes (its folder exists).

    .EXAMPLE
        Import-SrPlatformUpload -Path 'C:\ProgramData\snapready\uploads\1f0c.partial' -Destination 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'

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
        $Path,

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

    Move-Item -LiteralPath $Path -Destination $Destination -Force
}
