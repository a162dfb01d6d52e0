function Repair-SrAgent
{
    <#
    .SYNOPSIS
        Repairs the installed QEMU guest agent product, which recreates its missing services.

    .DESCRIPTION
        For an agent that is installed at the desired version but whose
        QEMU-GA service is gone: a reinstall of the same version is a no-op
        for Windows Installer, so the product is repaired in place instead:
          <systemDirectory>\msiexec.exe /fa <ProductCode> /qn /norestart /L*V <log>
        (/fa reinstalls every file and component, and so runs InstallServices
        again). No-op when the agent service exists. The product code is the
        Uninstall key of the installed agent (found by UpgradeCode or
        DisplayName, as in the facts). An agent without a Windows Installer
        product code (a vendor setup that is not an MSI) cannot be repaired
        this way: the error SrAgentRepairNeedsInstaller says to run that
        installer's repair. Exit codes: 0 succeeds; 3010 and 1641 succeed with
        rebootRequired and record the request (SNAPREADY_REQUESTED); 1618
        throws the retryable SrInstallerBusy; anything else throws
        SrAgentRepairFailed. Afterwards (unless 1641, where Windows is already
        restarting) the agent service must exist, or SrAgentRepairFailed is
        thrown.

    .PARAMETER LogPath
        Windows Installer log file of the repair.

    .PARAMETER TimeoutSeconds
        Longest time the installer may run (1 to 86400, default 540), passed
        to Invoke-SrPlatformProcess: an installer still running then is
        killed with its process tree and SrProcessTimeout is thrown. The
        runner passes the install step limit (timeouts.install) less a
        margin.

    .EXAMPLE
        Repair-SrAgent -LogPath 'C:\Windows\Temp\snapready-agent-install.log'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, exitCode, logPath, productCode and retryable.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [ValidatePattern('^[A-Za-z]:\\.+')]
        [string]
        $LogPath = 'C:\Windows\Temp\snapready-qemu-ga-repair.log',

        [Parameter()]
        [ValidateRange(1, 86400)]
        [int]
        $TimeoutSeconds = 540
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $os = Get-SrPlatformOs
    $product = Get-SrAgentProduct -Architecture $os.architecture
    if (-not $product.installed)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrAgentNotInstalled' -Category ObjectNotFound -Message (
                    'The QEMU guest agent is not installed, so there is nothing to repair: install it with Install-SrAgent.')))
    }
    $service = Get-SrAgentService
    if ($service.exists)
    {
        return New-SrResult -Changed $false -Detail ('The agent service {0} exists; nothing to repair.' -f $service.name) -Property @{
            exitCode = $null; logPath = $null; productCode = $product.productCode; retryable = $false
        }
    }
    if ($null -eq $product.productCode)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrAgentRepairNeedsInstaller' -Category InvalidOperation -Message (
                    'The QEMU guest agent {0} is installed but its service is missing, and it has no Windows Installer product code (it was not installed from an MSI): the repair needs its installer. Run that installer''s repair, or uninstall the agent so that it is installed again.' -f $product.version)))
    }

    $filePath = '{0}\msiexec.exe' -f ([string]$os.systemDirectory).TrimEnd('\')
    $arguments = @('/fa', $product.productCode, '/qn', '/norestart', '/L*V', $LogPath)
    Write-Verbose -Message ('Repairing the agent product {0} with msiexec /fa.' -f $product.productCode)
    $run = Invoke-SrPlatformProcess -FilePath $filePath -ArgumentList $arguments -TimeoutSeconds $TimeoutSeconds
    $exitCode = [int]$run.exitCode
    $properties = @{ exitCode = $exitCode; logPath = $LogPath; productCode = $product.productCode; retryable = $false }

    $rebootRequired = $false
    if ($exitCode -eq 3010 -or $exitCode -eq 1641)
    {
        $rebootRequired = $true
    }
    elseif ($exitCode -eq 1618)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerBusy' -Category ResourceBusy -Retryable $true -Property $properties -Message (
                    "msiexec /fa exit code 1618: another installation is already in progress. Nothing was changed; retry later. Log: '{0}'." -f $LogPath)))
    }
    elseif ($exitCode -ne 0)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrAgentRepairFailed' -Category InvalidResult -Property $properties -Message (
                    "The repair of the agent product {0} (msiexec /fa) exited with code {1}. If Windows Installer cannot find the cached package, the repair needs the original installer. See the log '{2}'." -f $product.productCode, $exitCode, $LogPath)))
    }

    if ($rebootRequired)
    {
        Set-SrRebootRequested -Reason ('agent repair exit code {0}' -f $exitCode)
    }
    if ($exitCode -ne 1641 -and -not (Get-SrAgentService).exists)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrAgentRepairFailed' -Category InvalidResult -Property $properties -Message (
                    "The repair of the agent product {0} (msiexec /fa) exited with {1}, but the agent service still does not exist. See the log '{2}'." -f $product.productCode, $exitCode, $LogPath)))
    }

    $detail = 'The agent product {0} was repaired (exit code {1}); its service exists again.' -f $product.productCode, $exitCode
    if ($rebootRequired)
    {
        $detail = 'The agent product {0} was repaired (exit code {1}); a reboot is required.' -f $product.productCode, $exitCode
    }
    New-SrResult -Changed $true -RebootRequired $rebootRequired -Detail $detail -Property $properties
}
