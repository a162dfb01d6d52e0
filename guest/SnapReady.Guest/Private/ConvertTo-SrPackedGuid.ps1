function ConvertTo-SrPackedGuid
{
    <#
    .SYNOPSIS
        Converts a GUID to the packed form Windows Installer uses in the registry, and back.

    .DESCRIPTION
        Windows Installer keys its registry data (for example
        HKLM\SOFTWARE\Classes\Installer\UpgradeCodes\<packed UpgradeCode>,
        whose value names are packed ProductCodes) by "packed" GUIDs: the 32
        hex digits without braces and dashes, with the first group (8 digits)
        reversed, the second and third (4 each) reversed, and each of the
        remaining 8 bytes with its two digits swapped.
        {EB6B8302-C06E-4BEC-ADAC-932C68A3A98D} packs to
        2038B6BEE60CCEB4DACA39C2863A9AD8. The permutation is its own inverse,
        so -Unpack turns a packed GUID back into {XXXXXXXX-XXXX-...} form
        (upper case).

    .PARAMETER Guid
        A GUID in braces (to pack) or 32 hex digits (with -Unpack).

    .PARAMETER Unpack
        Convert a packed GUID back to the braced form.

    .EXAMPLE
        ConvertTo-SrPackedGuid -Guid '{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^(\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}|[0-9A-Fa-f]{32})$')]
        [string]
        $Guid,

        [Parameter()]
        [switch]
        $Unpack
    )

    $hex = ($Guid -replace '[{}-]', '').ToUpperInvariant()
    if ([bool]$Unpack -ne (-not $Guid.StartsWith('{')))
    {
        $expected = 'a GUID in braces'
        if ($Unpack) { $expected = '32 hex digits' }
        throw ("'{0}' is not {1}." -f $Guid, $expected)
    }
    $builder = New-Object -TypeName System.Text.StringBuilder
    $position = 0
    foreach ($length in @(8, 4, 4, 2, 2, 2, 2, 2, 2, 2, 2))
    {
        $part = $hex.Substring($position, $length).ToCharArray()
        [array]::Reverse($part)
        $null = $builder.Append((-join $part))
        $position += $length
    }
    $result = $builder.ToString()
    if ($Unpack)
    {
        return '{{{0}-{1}-{2}-{3}-{4}}}' -f $result.Substring(0, 8), $result.Substring(8, 4), $result.Substring(12, 4), $result.Substring(16, 4), $result.Substring(20, 12)
    }
    $result
}
