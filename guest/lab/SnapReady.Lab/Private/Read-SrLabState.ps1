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

        Every call reads the file. By default the text is parsed into a new
        state that the caller may change. With -Shared the caller promises
        not to change the state: when the file holds exactly the text of the
        last -Shared read of the same path (compared ordinally, in the same
        parse mode), that read's parsed state is returned again instead of
        parsing the text anew. A facts collection makes some 30 read-only
        platform calls, so it parses the file once. The key is the content,
        not a timestamp: a write by anyone (this process, a second runner,
        scripts/lab-ctl.ps1) changes the text and is seen by the next read,
        however soon it follows (writes replace the file atomically, see
        Write-SrLabState). One state (the last path read) is kept.

    .PARAMETER Path
        State file path.

    .PARAMETER Shared
        The caller only reads the returned state; it may be the cached one.

    .EXAMPLE
        $state = Read-SrLabState -Path $statePath

    .EXAMPLE
        $os = (Read-SrLabState -Path $statePath -Shared).os

    .OUTPUTS
        System.Collections.IDictionary.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.IDictionary])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path,

        [Parameter()]
        [switch]
        $Shared
    )

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf))
    {
        throw "Lab state file '$Path' does not exist; create it with New-SrLabGuest."
    }
    $fullPath = [System.IO.Path]::GetFullPath($Path)
    $text = [System.IO.File]::ReadAllText($fullPath)
    if (-not $Shared)
    {
        return (ConvertFrom-SrLabJson -Json $text)
    }
    $cached = $script:SrLabStateCache
    if ($null -ne $cached -and $cached.path -ceq $fullPath -and $cached.dateKind -eq $script:SrLabJsonDateKind -and [string]::Equals($cached.text, $text, [System.StringComparison]::Ordinal))
    {
        return $cached.state
    }
    $state = ConvertFrom-SrLabJson -Json $text
    $script:SrLabStateCache = @{ path = $fullPath; dateKind = $script:SrLabJsonDateKind; text = $text; state = $state }
    $state
}
