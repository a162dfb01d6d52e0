function Set-SrMarker
{
    <#
    .SYNOPSIS
        Records the applied desired state in HKLM\SOFTWARE\snapready.

    .DESCRIPTION
        Writes DesiredStateHash (string), DriftGeneration (DWORD) and
        AppliedAt (ISO 8601 UTC). No-op when hash and generation already
        match; AppliedAt changes only when something else changed.

    .PARAMETER DesiredStateHash
        Hash of the desired state computed by the host side.

    .PARAMETER DriftGeneration
        Counter of drift corrections (0 or more).

    .EXAMPLE
        Set-SrMarker -DesiredStateHash 'sha256:3f1a...' -DriftGeneration 2

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail and appliedAt.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[A-Za-z0-9:._-]{1,256}$')]
        [string]
        $DesiredStateHash,

        [Parameter(Mandatory = $true)]
        [ValidateRange(0, 2147483647)]
        [int]
        $DriftGeneration
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $marker = Get-SrMarkerState
    if ($marker.desiredStateHash -ceq $DesiredStateHash -and $marker.driftGeneration -eq $DriftGeneration)
    {
        return New-SrResult -Changed $false -Detail 'The marker already records this desired state.' -Property @{ appliedAt = $marker.appliedAt }
    }
    $appliedAt = [datetime]::UtcNow.ToString('o')
    $key = $script:SrConst.MarkerKey
    Set-SrPlatformRegistryValue -Path $key -Name 'DesiredStateHash' -Value $DesiredStateHash -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'DriftGeneration' -Value $DriftGeneration -Type DWord
    Set-SrPlatformRegistryValue -Path $key -Name 'AppliedAt' -Value $appliedAt -Type String
    New-SrResult -Changed $true -Detail ('Marker set to {0}, generation {1}.' -f $DesiredStateHash, $DriftGeneration) -Property @{ appliedAt = $appliedAt }
}
