function Set-SrLabFault
{
    <#
    .SYNOPSIS
        Adds or removes faults of a lab guest.

    .DESCRIPTION
        Faults are stored in the state file and read by the simulated
        programs. Structural faults (NoVirtioSerialDevice, Wow64Agent,
        StaleVssRegistration, PublisherCertificateExpired) shape the guest at
        creation; pass them to New-SrLabGuest instead.

    .PARAMETER StatePath
        State file.

    .PARAMETER Fault
        Fault names.

    .PARAMETER Remove
        Remove instead of add.

    .EXAMPLE
        Set-SrLabFault -StatePath $path -Fault InstallerBusy1618 -Remove

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $StatePath,

        [Parameter(Mandatory = $true)]
        [ValidateSet('InstallerFails1603', 'InstallerBusy1618', 'AgentServiceStartFails', 'RebootNeverReturns', 'InstallerRequiresReboot', 'DriverRequiresReboot')]
        [string[]]
        $Fault,

        [Parameter()]
        [switch]
        $Remove
    )

    $state = Read-SrLabState -Path $StatePath
    if ($Remove)
    {
        $state.faults = @(@($state.faults) | Where-Object { $Fault -notcontains $_ })
    }
    else
    {
        $state.faults = @(@($state.faults) + $Fault | Select-Object -Unique)
    }
    Write-SrLabState -Path $StatePath -State $state
}
