function Install-SrVioSerialDriver
{
    <#
    .SYNOPSIS
        Binds the VirtIO Serial driver (vioser.inf) to the virtio-serial device.

    .DESCRIPTION
        Looks for devices with hardware ID PCI\VEN_1AF4&DEV_1003 or
        PCI\VEN_1AF4&DEV_1043. None: throws (the hypervisor exposes no
        virtio-serial device, so the agent would have no channel). One bound
        (status OK with a driver): no-op. Present but unbound: runs pnputil
        with the syntax of this Windows build: pnputil.exe /add-driver <inf>
        /install from build 14393 (Windows 10 1607, Server 2016) on, the
        legacy pnputil.exe -i -a <inf> before it (Server 2012 R2, 8.1), which
        knows no /add-driver. Exit 3010 succeeds with rebootRequired = $true
        (recorded in the marker key, requested by 'driver': the runner does
        not install the driver again while that reboot is pending). For any
        other exit code the device state read again afterwards decides: a
        bound device is success, whatever the code (the legacy syntax's codes
        say little). Otherwise exit 259 (ERROR_NO_MORE_ITEMS: the package was
        added but matched no device, or a better driver is already there)
        throws SrDriverInfNotApplicable, which says that the INF is probably
        not the one for this Windows version; exit 0 throws SrDriverNotBound;
        anything else throws SrDriverInstallFailed. Trust the signer first
        (Add-SrTrustedPublisher), otherwise silent installation stops at the
        publisher prompt.

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
    # pnputil /add-driver exists from build 14393 (Windows 10 1607 / Server 2016); older builds know only -i -a.
    $arguments = @('/add-driver', $InfPath, '/install')
    if ([int]$os.build -lt 14393)
    {
        $arguments = @('-i', '-a', $InfPath)
    }
    $run = Invoke-SrPlatformProcess -FilePath $pnputil -ArgumentList $arguments -TimeoutSeconds 300
    $exitCode = [int]$run.exitCode
    if ($exitCode -eq 3010)
    {
        Set-SrRebootRequested -Reason 'pnputil exit code 3010' -RequestedBy driver
        return New-SrResult -Changed $true -RebootRequired $true -Detail ("Driver '{0}' installed; a reboot is required to bind it." -f $InfPath) -Property @{ exitCode = $exitCode }
    }
    # The device state decides, not the exit code.
    $after = Get-SrVioSerialState
    if ($after.bound)
    {
        return New-SrResult -Changed $true -Detail ("Driver '{0}' installed and bound (pnputil exit code {1})." -f $InfPath, $exitCode) -Property @{ exitCode = $exitCode }
    }
    $command = 'pnputil {0}' -f ($arguments -join ' ')
    if ($exitCode -eq 259)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrDriverInfNotApplicable' -Category InvalidArgument -Property @{ exitCode = $exitCode } -Message (
                    "{0} exited with 259: the driver package was added but installed on no device, and the virtio-serial device is still unbound. The INF does not match this device or this Windows version (build {1}, {2}): use the vioser.inf of the folder for this Windows version and architecture on the virtio-win media." -f $command, $os.build, $os.architecture)))
    }
    if ($exitCode -eq 0)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrDriverNotBound' -Category InvalidResult -Property @{ exitCode = $exitCode } -Message (
                    "{0} reported success but no virtio-serial device is bound to a driver." -f $command)))
    }
    $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrDriverInstallFailed' -Category InvalidResult -Property @{ exitCode = $exitCode } -Message (
                "{0} failed with exit code {1}: {2} {3}" -f $command, $exitCode, $run.stdout, $run.stderr)))
}
