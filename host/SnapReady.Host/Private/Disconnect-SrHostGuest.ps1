function Disconnect-SrHostGuest
{
    <#
    .SYNOPSIS
        Forgets a guest's connection and closes its remoting session.

    .DESCRIPTION
        Removes the entry for -Id from the connection table and, for SSH and
        WinRM, closes the PSSession without waiting more than a moment for
        the guest (Close-SrHostSession; a session still closing is removed
        later). A session that is already broken is removed quietly.
        Nothing happens when there is no entry.

    .PARAMETER Id
        The VM name.

    .EXAMPLE
        Disconnect-SrHostGuest -Id 'sql01'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Id
    )

    $entry = $null
    if (-not $script:SrHostConnections.TryGetValue($Id, [ref]$entry))
    {
        return
    }
    $null = $script:SrHostConnections.Remove($Id)
    if ($null -ne $entry.session)
    {
        Close-SrHostSession -Session $entry.session
    }
}
