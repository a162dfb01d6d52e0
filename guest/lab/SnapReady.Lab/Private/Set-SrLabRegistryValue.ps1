function Set-SrLabRegistryValue
{
    <#
    .SYNOPSIS
        Writes a value to the lab registry, creating the key and its parents.

    .DESCRIPTION
        Case-insensitive on key path and value name; the first spelling of a
        key is kept for display. DWORD data is stored as an integer.

    .PARAMETER State
        The lab state.

    .PARAMETER Path
        Registry key path.

    .PARAMETER Name
        Value name or '(default)'. Omit to create only the key.

    .PARAMETER Data
        Value data.

    .PARAMETER Type
        String, ExpandString, DWord, QWord or MultiString.

    .EXAMPLE
        Set-SrLabRegistryValue -State $state -Path 'HKLM:\SOFTWARE\snapready' -Name 'DriftGeneration' -Data 1 -Type DWord

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter()]
        [string]
        $Name,

        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [object]
        $Data,

        [Parameter()]
        [ValidateSet('String', 'ExpandString', 'DWord', 'QWord', 'MultiString')]
        [string]
        $Type = 'String'
    )

    $canonical = ConvertTo-SrLabRegistryPath -Path $Path
    $parts = $canonical.Substring('HKLM:\'.Length).Split('\')
    $current = 'HKLM:'
    foreach ($part in $parts)
    {
        $current = $current + '\' + $part
        $id = $current.ToLowerInvariant()
        if (-not $State.registry.Contains($id))
        {
            $State.registry[$id] = [ordered]@{ path = $current; values = [ordered]@{} }
        }
    }
    if ([string]::IsNullOrEmpty($Name))
    {
        return
    }
    $stored = $Data
    switch ($Type)
    {
        'DWord' { $stored = [int]$Data }
        'QWord' { $stored = [long]$Data }
        'MultiString' { $stored = [string[]]@($Data) }
        default { $stored = [string]$Data }
    }
    $State.registry[$canonical.ToLowerInvariant()].values[$Name.ToLowerInvariant()] = [ordered]@{ name = $Name; type = $Type; data = $stored }
}
