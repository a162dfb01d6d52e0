function Get-SrLabRegistryValue
{
    <#
    .SYNOPSIS
        Reads a value from the lab registry.

    .DESCRIPTION
        Case-insensitive on key path and value name. Returns $null when the
        key or value does not exist.

    .PARAMETER State
        The lab state.

    .PARAMETER Path
        Registry key path.

    .PARAMETER Name
        Value name or '(default)'.

    .EXAMPLE
        Get-SrLabRegistryValue -State $state -Path 'HKLM:\SOFTWARE\snapready' -Name 'DriftGeneration'

    .OUTPUTS
        System.Object or $null.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )

    $keyId = (ConvertTo-SrLabRegistryPath -Path $Path).ToLowerInvariant()
    if (-not $State.registry.Contains($keyId))
    {
        return $null
    }
    $values = $State.registry[$keyId].values
    $valueId = $Name.ToLowerInvariant()
    if (-not $values.Contains($valueId))
    {
        return $null
    }
    $entry = $values[$valueId]
    if ($entry.type -eq 'MultiString')
    {
        return , [string[]]@($entry.data)
    }
    return $entry.data
}
