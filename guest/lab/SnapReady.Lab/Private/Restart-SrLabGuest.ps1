function Restart-SrLabGuest
{
    <#
    .SYNOPSIS
        Simulates a reboot of the lab guest.

    .DESCRIPTION
        With the RebootNeverReturns fault the guest becomes 'down' and every
        later call fails as unreachable. With a rebootDelaySeconds of N > 0
        the guest becomes 'rebooting' with upAt = now + N seconds (UTC, ISO
        8601); every platform call before upAt fails as unreachable, and the
        first one at or after upAt completes the boot (Complete-SrLabBoot,
        with upAt as the boot time). With a delay of 0 (the default) the boot
        completes at once (Complete-SrLabBoot). Mutates -State.

    .PARAMETER State
        The lab state.

    .PARAMETER Now
        The current UTC time (a parameter so that tests can pin it).

    .EXAMPLE
        Restart-SrLabGuest -State $state

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter()]
        [datetime]
        $Now = [datetime]::UtcNow
    )

    if (@($State.faults) -contains 'RebootNeverReturns')
    {
        $State.status = 'down'
        $State.upAt = $null
        return
    }
    $delay = 0
    if ($State.Contains('rebootDelaySeconds') -and $null -ne $State.rebootDelaySeconds)
    {
        $delay = [int]$State.rebootDelaySeconds
    }
    if ($delay -gt 0)
    {
        $State.status = 'rebooting'
        $State.upAt = $Now.ToUniversalTime().AddSeconds($delay).ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)
        return
    }
    Complete-SrLabBoot -State $State
}
