function Repair-SrVssProvider
{
    <#
    .SYNOPSIS
        Repairs a missing or stale QEMU Guest Agent VSS provider registration.

    .DESCRIPTION
        The registration is healthy when the COM+ application
        'QEMU Guest Agent VSS Provider' exists and the InprocServer32 of
        CLSID {6E6A3492-8D4D-440C-9619-5E5D0CC31CA8} is the existing
        qga-vss.dll next to the current qemu-ga.exe. Healthy: no-op.
        Stale (registered, but the dll is missing or elsewhere) or missing:
        runs qemu-ga.exe -s vss-uninstall (only when something is registered)
        and then qemu-ga.exe -s vss-install. "already installed
        (Error: 80004004)" from vss-install means a registration exists and is
        not treated as a failure by itself; the final state decides: the
        registration must be healthy afterwards or an error is thrown.
        When the agent is not installed and nothing is registered, there is
        nothing to repair (the MSI registers the provider itself).

    .PARAMETER AgentPath
        Path of qemu-ga.exe. Defaults to the executable of the QEMU-GA
        service, or C:\Program Files\Qemu-ga\qemu-ga.exe.

    .EXAMPLE
        Repair-SrVssProvider

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail and actions.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [ValidatePattern('^[A-Za-z]:\\.+\.exe$')]
        [string]
        $AgentPath
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $exePath = $AgentPath
    if ([string]::IsNullOrEmpty($exePath))
    {
        $service = Get-SrAgentService
        if ($service.exists -and -not [string]::IsNullOrEmpty($service.imagePath))
        {
            $exePath = (ConvertFrom-SrAgentImagePath -ImagePath $service.imagePath).exePath
        }
        if ([string]::IsNullOrEmpty($exePath))
        {
            $exePath = '{0}\qemu-ga.exe' -f $script:SrConst.AgentInstallDirectory
        }
    }
    $expectedDll = '{0}\{1}' -f (Get-SrWindowsParentPath -Path $exePath), $script:SrConst.VssDllName

    $state = Get-SrVssProviderState
    $registered = $state.comPlusRegistered -or $null -ne $state.inprocServer32
    $healthy = $state.comPlusRegistered -and $state.inprocServerExists -and
        ([string]$state.inprocServer32).Equals($expectedDll, [System.StringComparison]::OrdinalIgnoreCase)
    if ($healthy)
    {
        return New-SrResult -Changed $false -Detail ("The VSS provider is registered with '{0}'." -f $expectedDll) -Property @{ actions = @() }
    }

    $exeExists = [bool](Test-SrPlatformPath -Path $exePath)
    if (-not $exeExists)
    {
        if (-not $registered)
        {
            return New-SrResult -Changed $false -Detail ("The agent is not installed ('{0}' not found) and no VSS provider is registered; the agent installer registers it." -f $exePath) -Property @{ actions = @() }
        }
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrVssRepairNoAgent' -Category ObjectNotFound -Message (
                    "A stale VSS provider registration exists (InprocServer32 '{0}'), but '{1}' is missing, so 'qemu-ga.exe -s vss-uninstall' cannot run. Install the agent files first." -f $state.inprocServer32, $exePath)))
    }

    $actions = New-Object -TypeName System.Collections.Generic.List[string]
    if ($registered)
    {
        Write-Verbose -Message ("Stale VSS provider registration (InprocServer32 '{0}', expected '{1}'); unregistering." -f $state.inprocServer32, $expectedDll)
        $uninstall = Invoke-SrPlatformProcess -FilePath $exePath -ArgumentList @('-s', 'vss-uninstall')
        $actions.Add(('vss-uninstall exit {0}' -f $uninstall.exitCode))
    }

    $install = Invoke-SrPlatformProcess -FilePath $exePath -ArgumentList @('-s', 'vss-install')
    $output = '{0} {1}' -f $install.stdout, $install.stderr
    $alreadyInstalled = $output -match $script:SrConst.VssAlreadyInstalledHr -or $output -match 'already installed'
    if ($install.exitCode -eq 0)
    {
        $actions.Add('vss-install exit 0')
    }
    elseif ($alreadyInstalled)
    {
        Write-Verbose -Message 'vss-install reports an existing registration (80004004); checking that it is healthy.'
        $actions.Add(('vss-install already installed (80004004), exit {0}' -f $install.exitCode))
    }
    else
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrVssInstallFailed' -Category InvalidResult -Property @{ exitCode = $install.exitCode } -Message (
                    "'{0} -s vss-install' failed with exit code {1}: {2}" -f $exePath, $install.exitCode, $output.Trim())))
    }

    $after = Get-SrVssProviderState
    $healthyAfter = $after.comPlusRegistered -and $after.inprocServerExists -and
        ([string]$after.inprocServer32).Equals($expectedDll, [System.StringComparison]::OrdinalIgnoreCase)
    if (-not $healthyAfter)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrVssRepairIncomplete' -Category InvalidResult -Message (
                    "The VSS provider registration is still not healthy after repair: COM+ registered {0}, InprocServer32 '{1}' (exists {2}), expected '{3}'." -f $after.comPlusRegistered, $after.inprocServer32, $after.inprocServerExists, $expectedDll)))
    }
    New-SrResult -Changed $true -Detail ("The VSS provider was registered again with '{0}'." -f $expectedDll) -Property @{ actions = [string[]]$actions.ToArray() }
}
