function Set-SrLabOption
{
    <#
    .SYNOPSIS
        Changes options of an existing lab guest.

    .DESCRIPTION
        -RebootDelaySeconds sets how long the next restarts take (0 makes
        them instant again). A guest that is already rebooting keeps its
        upAt; the new delay applies from the next restart on. -OsVersion
        makes the guest another Windows version (os.version and os.build),
        for example 6.3.9600 for Server 2012 R2, whose pnputil knows only
        the legacy -i -a syntax.

    .PARAMETER StatePath
        State file.

    .PARAMETER RebootDelaySeconds
        Seconds a restart leaves the guest unreachable (0 to 86400).

    .PARAMETER OsVersion
        Windows version major.minor.build, for example 6.3.9600.

    .EXAMPLE
        Set-SrLabOption -StatePath $lab.statePath -RebootDelaySeconds 3

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
        $StatePath,

        [Parameter()]
        [ValidateRange(0, 86400)]
        [int]
        $RebootDelaySeconds,

        [Parameter()]
        [ValidatePattern('^\d+\.\d+\.\d+$')]
        [string]
        $OsVersion
    )

    $state = Read-SrLabState -Path $StatePath
    if ($PSBoundParameters.ContainsKey('RebootDelaySeconds'))
    {
        $state['rebootDelaySeconds'] = $RebootDelaySeconds
    }
    if ($PSBoundParameters.ContainsKey('OsVersion'))
    {
        $state.os['version'] = $OsVersion
        $state.os['build'] = [int]$OsVersion.Split('.')[2]
    }
    Write-SrLabState -Path $StatePath -State $state
}
