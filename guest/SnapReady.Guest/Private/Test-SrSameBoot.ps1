function Test-SrSameBoot
{
    <#
    .SYNOPSIS
        Tells whether a boot recorded in the marker key is the current boot.

    .DESCRIPTION
        Compares boot ids (Get-SrBootId) when both the record and the current
        boot have one: LastBootUpTime can be reported differently within one
        boot, or change with a clock correction, a boot id cannot. Only when
        either side has no boot id (a record written by an older module, or
        an id that cannot be read) are the LastBootUpTime strings compared.
        A record without a boot time and without a boot id is no boot.

    .PARAMETER RecordedBootId
        Boot id stored with the record; empty when none was stored.

    .PARAMETER RecordedBootTime
        LastBootUpTime stored with the record; empty when none was stored.

    .PARAMETER BootId
        Current boot id; empty when none exists or it cannot be read.

    .PARAMETER BootTime
        Current LastBootUpTime.

    .EXAMPLE
        Test-SrSameBoot -RecordedBootId $a -RecordedBootTime $t -BootId (Get-SrBootId) -BootTime $os.lastBootUpTime

    .OUTPUTS
        System.Boolean.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param
    (
        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $RecordedBootId,

        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $RecordedBootTime,

        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $BootId,

        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $BootTime
    )

    if (-not [string]::IsNullOrEmpty($RecordedBootId) -and -not [string]::IsNullOrEmpty($BootId))
    {
        return ($RecordedBootId -eq $BootId)
    }
    (-not [string]::IsNullOrEmpty($RecordedBootTime)) -and ($RecordedBootTime -eq $BootTime)
}
