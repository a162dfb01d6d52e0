function New-SrResult
{
    <#
    .SYNOPSIS
        Builds the result object every primitive returns.

    .DESCRIPTION
        The common contract of the idempotent primitives:
        changed, rebootRequired and detail, followed by optional extra fields.

    .PARAMETER Changed
        Whether the primitive changed anything.

    .PARAMETER RebootRequired
        Whether a reboot is needed to complete the change.

    .PARAMETER Detail
        One human-readable sentence.

    .PARAMETER Property
        Extra fields, appended in key order.

    .EXAMPLE
        New-SrResult -Changed $false -RebootRequired $false -Detail 'Already in the desired state.'

    .OUTPUTS
        System.Management.Automation.PSCustomObject.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [bool]
        $Changed,

        [Parameter()]
        [bool]
        $RebootRequired = $false,

        [Parameter(Mandatory = $true)]
        [string]
        $Detail,

        [Parameter()]
        [System.Collections.IDictionary]
        $Property = @{}
    )

    $result = [ordered]@{
        changed        = $Changed
        rebootRequired = $RebootRequired
        detail         = $Detail
    }
    foreach ($key in @($Property.Keys | Sort-Object))
    {
        $result[$key] = $Property[$key]
    }
    [pscustomobject]$result
}
