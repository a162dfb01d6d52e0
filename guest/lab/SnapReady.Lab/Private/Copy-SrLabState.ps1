function Copy-SrLabState
{
    <#
    .SYNOPSIS
        Deep-copies a lab state (used for installer rollback).

    .DESCRIPTION
        Round-trips the state through JSON.

    .PARAMETER State
        The state hashtable.

    .EXAMPLE
        $work = Copy-SrLabState -State $state

    .OUTPUTS
        System.Collections.Hashtable.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State
    )

    ConvertFrom-SrLabJson -Json ($State | ConvertTo-Json -Depth 30)
}
