function Install-SrVioSerialDriver
{
    <#
    .SYNOPSIS
        Binds the VirtIO Serial driver (vioser.inf) to the virtio-serial device.

    .DESCRIPTION
        Looks for devices with hardware ID PCI\VEN_1AF4&DEV_1003 or
        PCI\VEN_1AF4&DEV_1043. None: throws (the hypervisor exposes no
        virtio-serial device, so the agent would have no channel). One bound
        (status OK with a driver): no-op. Present but unbound: runs
        pnputil.exe /add-driver <inf> /install. Exit 0 succeeds, 3010
        succeeds with rebootRequired = $true (recorded in the marker key),
        anything else throws. Trust the signer first (Add-SrTrustedPublisher),
        otherwise silent installation stops at the publisher prompt.

    .PARAMETER InfPath
        Path of vioser.inf for this Windows version and architecture.

    .EXAMPLE
        Install-SrVioSerialDriver -InfPath 'D:\vioserial\2k19\amd64\vioser.inf'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail and exitCode.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^([A-Za-z]:\\|\\\\[^\\]+\\[^\\]+\\).+\.inf$')]
        [string]
        $InfPath
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $state = Get-SrVioSerialState
    if (-not $state.present)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrVioSerialDeviceMissing' -Category ObjectNotFound -Message (
                    'No virtio-serial device (PCI\VEN_1AF4&DEV_1003 or DEV_1043) is present: the hypervisor exposes no virtio-serial controller, so the guest agent has no channel. Add a virtio-serial controller and the org.qemu.guest_agent.0 channel to the VM definition.')))
    }
    if ($state.bound)
    {
        return New-SrResult -Changed $false -Detail 'The VirtIO Serial driver is already bound.' -Property @{ exitCode = $null }
    }
    if (-not (Test-SrPlatformPath -Path $InfPath))
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInfNotFound' -Category ObjectNotFound -Message (
                    "Driver INF '{0}' does not exist." -f $InfPath)))
    }

    $os = Get-SrPlatformOs
    $pnputil = '{0}\pnputil.exe' -f ([string]$os.systemDirectory).TrimEnd('\')
    $run = Invoke-SrPlatformProcess -FilePath $pnputil -ArgumentList @('/add-driver', $InfPath, '/install')
    $exitCode = [int]$run.exitCode
    if ($exitCode -eq 3010)
    {
        Set-SrRebootRequested -Reason 'pnputil exit code 3010'
        return New-SrResult -Changed $true -RebootRequired $true -Detail ("Driver '{0}' installed; a reboot is required to bind it." -f $InfPath) -Property @{ exitCode = $exitCode }
    }
    if ($exitCode -ne 0)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrDriverInstallFailed' -Category InvalidResult -Property @{ exitCode = $exitCode } -Message (
                    "pnputil /add-driver '{0}' /install failed with exit code {1}: {2} {3}" -f $InfPath, $exitCode, $run.stdout, $run.stderr)))
    }
    $after = Get-SrVioSerialState
    if (-not $after.bound)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrDriverNotBound' -Category InvalidResult -Property @{ exitCode = $exitCode } -Message (
                    "pnputil reported success for '{0}' but no virtio-serial device is bound to a driver." -f $InfPath)))
    }
    New-SrResult -Changed $true -Detail ("Driver '{0}' installed and bound." -f $InfPath) -Property @{ exitCode = $exitCode }
}
