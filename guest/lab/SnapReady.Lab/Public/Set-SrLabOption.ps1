function Set-SrLabOption
{
    <#
    .SYNOPSIS
        Changes options of an existing lab guest.

    .DESCRIPTION
        -RebootDelaySeconds sets how long the next restarts take (0 makes
        them instant again). A guest that is already rebooting keeps its
        upAt; the new delay applies from the next restart on.

    .PARAMETER StatePath
        State file.

    .PARAMETER RebootDelaySeconds
        Seconds a restart leaves the guest unreachable (0 to 86400).

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
        $RebootDelaySeconds
    )

    $state = Read-SrLabState -Path $StatePath
    if ($PSBoundParameters.ContainsKey('RebootDelaySeconds'))
    {
        $state['rebootDelaySeconds'] = $RebootDelaySeconds
    }
    Write-SrLabState -Path $StatePath -State $state
}
