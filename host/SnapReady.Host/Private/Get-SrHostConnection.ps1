function Get-SrHostConnection
{
    <#
    .SYNOPSIS
        Returns a connected guest's entry, or fails as not connected.

    .DESCRIPTION
        Looks -Id up in the connection table that Connect-SrHostGuest fills.
        A guest without an entry (never connected, or its connection was
        dropped) is a 'protocol' error, SrHostNotConnected: the runner
        connects again.

    .PARAMETER Id
        The VM name.

    .EXAMPLE
        $entry = Get-SrHostConnection -Id 'sql01'

    .OUTPUTS
        System.Management.Automation.PSCustomObject: the connection entry.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Id
    )

    $entry = $null
    if (-not $script:SrHostConnections.TryGetValue($Id, [ref]$entry))
    {
        throw (New-SrHostErrorRecord -Message ('guest {0} is not connected: send connect first' -f $Id) -Category protocol -ErrorId 'SrHostNotConnected')
    }
    $entry
}
