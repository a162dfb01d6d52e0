function Install-SrAgent
{
    <#
    .SYNOPSIS
        Installs or upgrades the QEMU guest agent to a given version, silently.

    .DESCRIPTION
        No-op when the agent (matched by UpgradeCode or DisplayName) is
        already installed at -Version as a native (non-WOW64) product.
        Otherwise runs the staged installer with an argument array:
          msi:         msiexec.exe /i <file> /qn /norestart /L*V <log>
          guest-tools: <exe> /install /quiet /norestart /log <log>
          vendor:      <exe> <SilentArguments...>
        and maps the exit code: -SuccessExitCodes (default 0) succeed,
        -RebootExitCodes (default 3010 and 1641) succeed with
        rebootRequired = $true and record the request in the marker key
        (reported as SNAPREADY_REQUESTED), 1618 (another installation in
        progress) throws a retryable error (TargetObject.retryable = $true),
        1603 and any other code throw a terminating error. A 32-bit agent
        installer is refused on 64-bit Windows, because a WOW64 agent cannot
        freeze. Afterwards the installed version must equal -Version.
        Right before the installer starts, the staged file is opened with
        FileShare.Read (Open-SrPlatformFile), so that nobody can write,
        replace or rename it, and its SHA-256, read through that handle, must
        equal -ExpectedSha256; otherwise SrInstallerHashMismatch is thrown
        and nothing runs. The handle stays open until the installer has
        exited.

    .PARAMETER InstallerPath
        Local path of the staged installer (see Save-SrInstaller).

    .PARAMETER Kind
        msi (qemu-ga-x86_64.msi), guest-tools (virtio-win-guest-tools.exe) or vendor.

    .PARAMETER Version
        Desired agent version, as shown in the Uninstall DisplayVersion.

    .PARAMETER SilentArguments
        Arguments of a vendor installer, one per element. Required for vendor.

    .PARAMETER SuccessExitCodes
        Exit codes meaning success. Default 0.

    .PARAMETER RebootExitCodes
        Exit codes meaning success with a reboot required. Default 3010, 1641.

    .PARAMETER LogPath
        Installer log file (msi and guest-tools).

    .PARAMETER Architecture
        Architecture of the installer: x64, x86 or arm64. When omitted it is
        inferred from the file name (i386/x86 versus x86_64/x64).

    .PARAMETER ExpectedSha256
        SHA-256 (64 hex digits) the installer must still have when it is
        started: the runner passes agent.installer.sha256, or else the hash
        Save-SrInstaller recorded when it staged the file. Without it the
        file is still held open while the installer runs, but not checked.

    .PARAMETER TimeoutSeconds
        Longest time the installer may run (1 to 86400, default 540), passed
        to Invoke-SrPlatformProcess: an installer still running then is
        killed with its process tree and SrProcessTimeout is thrown. The
        runner passes the install step limit (timeouts.install) less a
        margin.

    .EXAMPLE
        Install-SrAgent -InstallerPath 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi' -Kind msi -Version '108.0.2' -ExpectedSha256 $staged.sha256

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, exitCode, retryable, previousVersion and
        logPath.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[A-Za-z]:\\.+')]
        [string]
        $InstallerPath,

        [Parameter(Mandatory = $true)]
        [ValidateSet('msi', 'guest-tools', 'vendor')]
        [string]
        $Kind,

        [Parameter(Mandatory = $true)]
        [ValidatePattern('^\d+(\.\d+){0,3}$')]
        [string]
        $Version,

        [Parameter()]
        [AllowEmptyCollection()]
        [string[]]
        $SilentArguments = @(),

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [int[]]
        $SuccessExitCodes = @(0),

        [Parameter()]
        [AllowEmptyCollection()]
        [int[]]
        $RebootExitCodes = @(3010, 1641),

        [Parameter()]
        [ValidatePattern('^[A-Za-z]:\\.+')]
        [string]
        $LogPath = 'C:\Windows\Temp\snapready-qemu-ga-install.log',

        [Parameter()]
        [ValidateSet('x64', 'x86', 'arm64')]
        [string]
        $Architecture,

        [Parameter()]
        [ValidatePattern('^[0-9A-Fa-f]{64}$')]
        [string]
        $ExpectedSha256,

        [Parameter()]
        [ValidateRange(1, 86400)]
        [int]
        $TimeoutSeconds = 540
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $os = Get-SrPlatformOs
    $installerArchitecture = $Architecture
    if ([string]::IsNullOrEmpty($installerArchitecture))
    {
        $leaf = $InstallerPath.Split('\')[-1]
        if ($leaf -match '(x86_64|x64|amd64)')
        {
            $installerArchitecture = 'x64'
        }
        elseif ($leaf -match '(i386|i686|x86)')
        {
            $installerArchitecture = 'x86'
        }
    }
    if ($installerArchitecture -eq 'x86' -and $os.architecture -ne 'x86')
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerArchitectureMismatch' -Category InvalidArgument -Message (
                    "Refusing to install the 32-bit agent installer '{0}' on {1} Windows: a 32-bit agent runs under WOW64 and cannot freeze. Use the x86_64 installer." -f $InstallerPath, $os.architecture)))
    }

    $product = Get-SrAgentProduct -Architecture $os.architecture
    if ($product.installed -and $product.version -eq $Version -and -not $product.wow64)
    {
        return New-SrResult -Changed $false -Detail ('QEMU guest agent {0} is already installed.' -f $Version) -Property @{
            exitCode = $null; retryable = $false; previousVersion = $product.version; logPath = $null
        }
    }
    if ($product.wow64)
    {
        Write-Verbose -Message ('A 32-bit (WOW64) agent {0} is installed; installing the native agent over it.' -f $product.version)
    }

    if (-not (Test-SrPlatformPath -Path $InstallerPath))
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerNotFound' -Category ObjectNotFound -Message (
                    "Installer '{0}' does not exist; stage it with Save-SrInstaller first." -f $InstallerPath)))
    }

    switch ($Kind)
    {
        'msi'
        {
            $filePath = '{0}\msiexec.exe' -f ([string]$os.systemDirectory).TrimEnd('\')
            $arguments = @('/i', $InstallerPath, '/qn', '/norestart', '/L*V', $LogPath)
        }
        'guest-tools'
        {
            $filePath = $InstallerPath
            $arguments = @('/install', '/quiet', '/norestart', '/log', $LogPath)
        }
        default
        {
            if ($SilentArguments.Count -eq 0)
            {
                $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrVendorArgumentsRequired' -Category InvalidArgument -Message (
                            '-SilentArguments is required for a vendor installer.')))
            }
            $filePath = $InstallerPath
            $arguments = @($SilentArguments)
        }
    }

    # Held open with FileShare.Read from the hash check until the installer
    # has exited: nobody can swap the file in between.
    $installer = Open-SrPlatformFile -Path $InstallerPath
    try
    {
        if ($PSBoundParameters.ContainsKey('ExpectedSha256') -and $installer.sha256 -ne $ExpectedSha256.ToUpperInvariant())
        {
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerHashMismatch' -Category SecurityError -Property @{ expectedSha256 = $ExpectedSha256.ToUpperInvariant(); actualSha256 = $installer.sha256 } -Message (
                        "SHA-256 mismatch for installer '{0}' right before running it: expected {1}, actual {2}. It changed after it was staged; nothing was run. Stage it again with Save-SrInstaller, and find out who can write to its folder." -f $InstallerPath, $ExpectedSha256.ToUpperInvariant(), $installer.sha256)))
        }
        Write-Verbose -Message ("Running '{0}' with {1} argument(s)." -f $filePath, $arguments.Count)
        $run = Invoke-SrPlatformProcess -FilePath $filePath -ArgumentList $arguments -TimeoutSeconds $TimeoutSeconds
    }
    finally
    {
        Close-SrPlatformFile -Handle $installer.handle
    }
    $exitCode = [int]$run.exitCode
    $properties = @{ exitCode = $exitCode; retryable = $false; previousVersion = $product.version; logPath = $LogPath }

    $rebootRequired = $false
    if ($SuccessExitCodes -contains $exitCode)
    {
        $rebootRequired = $false
    }
    elseif ($RebootExitCodes -contains $exitCode)
    {
        $rebootRequired = $true
    }
    elseif ($exitCode -eq 1618)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerBusy' -Category ResourceBusy -Retryable $true -Property $properties -Message (
                    "Installer exit code 1618: another installation is already in progress. Nothing was changed; retry later. Log: '{0}'." -f $LogPath)))
    }
    elseif ($exitCode -eq 1603)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerFailed' -Category InvalidResult -Property $properties -Message (
                    "Installer exit code 1603: fatal error during installation of '{0}'. A stale VSS provider registration is a known cause (run Repair-SrVssProvider). See the log '{1}'." -f $InstallerPath, $LogPath)))
    }
    else
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerUnexpectedExitCode' -Category InvalidResult -Property $properties -Message (
                    "Installer '{0}' exited with unexpected code {1}. See the log '{2}'." -f $InstallerPath, $exitCode, $LogPath)))
    }

    if ($rebootRequired)
    {
        Set-SrRebootRequested -Reason ('installer exit code {0}' -f $exitCode) -RequestedBy agent
    }

    if ($exitCode -ne 1641)
    {
        $after = Get-SrAgentProduct -Architecture $os.architecture
        if (-not $after.installed -or $after.version -ne $Version)
        {
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerVersionMismatch' -Category InvalidResult -Property $properties -Message (
                        "Installer '{0}' exited with {1}, but the installed agent version is '{2}', not the desired '{3}'. Check that -Version matches the installer." -f $InstallerPath, $exitCode, $after.version, $Version)))
        }
    }

    $detail = 'QEMU guest agent {0} installed (exit code {1}).' -f $Version, $exitCode
    if ($rebootRequired)
    {
        $detail = 'QEMU guest agent {0} installed (exit code {1}); a reboot is required.' -f $Version, $exitCode
    }
    New-SrResult -Changed $true -RebootRequired $rebootRequired -Detail $detail -Property $properties
}
