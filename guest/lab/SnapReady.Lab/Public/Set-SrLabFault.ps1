function Set-SrLabFault
{
    <#
    .SYNOPSIS
        Adds or removes faults of a lab guest.

    .DESCRIPTION
        Faults are stored in the state file and read by the simulated
        programs. Structural faults (NoVirtioSerialDevice, Wow64Agent,
        StaleVssRegistration, PublisherCertificateExpired) shape the guest at
        creation; pass them to New-SrLabGuest instead. Adding
        RebootPendingStuck also sets the CBS RebootPending key, which no
        reboot clears while the fault is there (removing the fault lets the
        next boot clear it). VssWriterFailed fails the System Writer
        (FAILED_AT_FREEZE, 0x800423F2) until the fault is removed.

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
        [ValidateSet('InstallerFails1603', 'InstallerBusy1618', 'AgentServiceStartFails', 'RebootNeverReturns', 'InstallerRequiresReboot', 'DriverRequiresReboot', 'RebootPendingStuck', 'VssWriterFailed')]
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
        if ($Fault -contains 'RebootPendingStuck')
        {
            Set-SrLabRegistryValue -State $state -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
        }
    }
    Write-SrLabState -Path $StatePath -State $state
}
