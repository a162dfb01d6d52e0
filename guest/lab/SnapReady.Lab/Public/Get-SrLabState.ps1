function Get-SrLabState
{
    <#
    .SYNOPSIS
        Returns a lab guest's raw state for assertions.

    .DESCRIPTION
        Reads the state file (nested hashtables; case-insensitive namespaces
        are keyed in lower case) and adds helper views: service status by
        name and registry values by key.

    .PARAMETER StatePath
        State file. Defaults to the one enabled by Enable-SrLab.

    .EXAMPLE
        (Get-SrLabState).services['qemu-ga'].status

    .OUTPUTS
        System.Collections.Hashtable.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter()]
        [string]
        $StatePath = $script:LabStatePath
    )

    if ([string]::IsNullOrEmpty($StatePath))
    {
        throw 'No lab state path: pass -StatePath or call Enable-SrLab first.'
    }
    Read-SrLabState -Path $StatePath
}
