function ConvertFrom-SrIsoDate
{
    <#
    .SYNOPSIS
        Parses an ISO 8601 date string into a UTC DateTime.

    .DESCRIPTION
        Culture-independent; a value without an offset is taken as UTC.

    .PARAMETER Value
        ISO 8601 date, for example 2031-01-01T00:00:00.0000000Z.

    .EXAMPLE
        ConvertFrom-SrIsoDate -Value '2031-01-01T00:00:00Z'

    .OUTPUTS
        System.DateTime (Kind Utc).
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Value
    )

    $styles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    [datetime]::Parse($Value, [System.Globalization.CultureInfo]::InvariantCulture, $styles)
}
