function Write-SrLabState
{
    <#
    .SYNOPSIS
        Saves a lab guest's state file.

    .DESCRIPTION
        Writes the state as indented JSON (UTF-8).

    .PARAMETER Path
        State file path.

    .PARAMETER State
        The state hashtable.

    .EXAMPLE
        Write-SrLabState -Path $statePath -State $state

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
        [System.Collections.IDictionary]
        $State
    )

    $json = $State | ConvertTo-Json -Depth 30
    [System.IO.File]::WriteAllText($Path, $json, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
}
