function Get-SrMarkerState
{
    <#
    .SYNOPSIS
        Reads snapready's own marker key HKLM\SOFTWARE\snapready.

    .DESCRIPTION
        Values DesiredStateHash (string), DriftGeneration (DWORD), AppliedAt
        (ISO 8601 string), and the reboot request: RebootRequestedBootTime
        (the last boot time when a reboot was requested) and
        RebootRequestedReason. Absent values are $null.

    .EXAMPLE
        Get-SrMarkerState

    .OUTPUTS
        System.Management.Automation.PSCustomObject with desiredStateHash,
        driftGeneration, appliedAt, rebootRequestedBootTime and
        rebootRequestedReason.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $key = $script:SrConst.MarkerKey
    $values = @{}
    foreach ($name in @('DesiredStateHash', 'DriftGeneration', 'AppliedAt', 'RebootRequestedBootTime', 'RebootRequestedReason'))
    {
        $values[$name] = Get-SrPlatformRegistryValue -Path $key -Name $name
    }
    $driftGeneration = $null
    if ($null -ne $values['DriftGeneration'])
    {
        $driftGeneration = [int]$values['DriftGeneration']
    }
    $asString = {
        param($value)
        if ($null -eq $value) { return $null }
        return [string]$value
    }
    [pscustomobject]@{
        desiredStateHash        = & $asString $values['DesiredStateHash']
        driftGeneration         = $driftGeneration
        appliedAt               = & $asString $values['AppliedAt']
        rebootRequestedBootTime = & $asString $values['RebootRequestedBootTime']
        rebootRequestedReason   = & $asString $values['RebootRequestedReason']
    }
}
