function Read-SrLabState
{
    <#
    .SYNOPSIS
        Loads a lab guest's state file.

    .DESCRIPTION
        Returns the state as nested dictionaries (ConvertFrom-SrLabJson: dates
        stay strings on every PowerShell 7.2+).
        Keys of case-insensitive Windows namespaces (registry keys and value
        names, file paths, service names, stores) are stored lower-case.

    .PARAMETER Path
        State file path.

    .EXAMPLE
        $state = Read-SrLabState -Path $statePath

    .OUTPUTS
        System.Collections.Hashtable.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path
    )

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf))
    {
        throw "Lab state file '$Path' does not exist; create it with New-SrLabGuest."
    }
    ConvertFrom-SrLabJson -Json (Get-Content -LiteralPath $Path -Raw)
}
