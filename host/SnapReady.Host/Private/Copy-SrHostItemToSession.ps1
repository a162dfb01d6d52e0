function Copy-SrHostItemToSession
{
    <#
    .SYNOPSIS
        Copies a local folder into a folder on the remote side of a session.

    .DESCRIPTION
        Thin wrapper over Copy-Item -LiteralPath <Path> -Destination
        <Destination> -ToSession <Session> -Recurse -Force: the folder
        arrives as <Destination>/<leaf of Path>. It exists so that tests can
        replace the copy (Pester cannot mock Copy-Item -ToSession with a
        stand-in session, because it binds Copy-Item's provider dynamic
        parameters for real).

    .PARAMETER Session
        The open PSSession.

    .PARAMETER Path
        Local folder.

    .PARAMETER Destination
        Existing remote folder.

    .EXAMPLE
        Copy-SrHostItemToSession -Session $session -Path '/repo/guest/SnapReady.Guest' -Destination 'C:\ProgramData\snapready\modules\<hash>\.partial-1'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [object]
        $Session,

        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Destination
    )

    Copy-Item -LiteralPath $Path -Destination $Destination -ToSession $Session -Recurse -Force -ErrorAction Stop
}
