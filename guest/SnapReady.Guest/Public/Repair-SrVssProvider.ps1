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
        Otherwise (stale, partly missing or missing), with the agent present:
        1. qemu-ga.exe -s vss-uninstall, always: unregistering never fails
           (DllUnregisterServer), and a leftover that nothing else shows (the
           key under HKLM\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef})
           still blocks a fresh registration;
        2. whatever is left (the COM+ application, the CLSID key, that VSS
           Providers key) is removed directly;
        3. qemu-ga.exe -s vss-install. "already installed (Error: 80004004)"
           is not a failure by itself; the final state decides: the
           registration must be healthy afterwards or an error is thrown.
        Every qemu-ga.exe or rundll32.exe run is limited to 120 s: a failed
        registration shows a MessageBox that nobody can close in a
        non-interactive session (SrProcessTimeout, retryable).
        Without qemu-ga.exe: nothing registered is a no-op (the MSI registers
        the provider itself); a stale registration is cleared so that the MSI
        can install: rundll32.exe <qga-vss.dll>,DLLCOMUnregister when a
        qga-vss.dll is still there (the registered one, or the one in the
        agent folder), then the direct removal of what is left. Nothing is
        registered then (changed, and the install registers it).
        When the COM+ catalog cannot be read, it throws
        SrComPlusCatalogUnavailable: no repair is attempted blind.

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
    if ($null -eq $state.comPlusRegistered)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrComPlusCatalogUnavailable' -Category ResourceUnavailable -Message (
                    'The VSS provider registration cannot be repaired: {0}' -f $state.comPlusUnknownReason)))
    }
    $registered = $state.comPlusRegistered -or $null -ne $state.inprocServer32 -or $state.providerKeyExists
    $healthy = $state.comPlusRegistered -and $state.inprocServerExists -and
        ([string]$state.inprocServer32).Equals($expectedDll, [System.StringComparison]::OrdinalIgnoreCase)
    if ($healthy)
    {
        return New-SrResult -Changed $false -Detail ("The VSS provider is registered with '{0}'." -f $expectedDll) -Property @{ actions = @() }
    }

    $actions = New-Object -TypeName System.Collections.Generic.List[string]
    # Removes, directly, whatever a stale registration left behind.
    $clearLeftovers = {
        $left = Get-SrVssProviderState
        if ($left.comPlusRegistered)
        {
            Remove-SrPlatformComPlusApplication -Name $script:SrConst.VssComPlusApplication
            $actions.Add('removed the COM+ application')
        }
        if ($null -ne $left.inprocServer32 -or (Test-SrPlatformRegistryKey -Path $script:SrConst.VssClsidKey))
        {
            Remove-SrPlatformRegistryKey -Path $script:SrConst.VssClsidKey
            $actions.Add('removed the CLSID key')
        }
        if ($left.providerKeyExists)
        {
            Remove-SrPlatformRegistryKey -Path $script:SrConst.VssProviderKey
            $actions.Add('removed the VSS Providers key')
        }
    }

    $exeExists = [bool](Test-SrPlatformPath -Path $exePath)
    if (-not $exeExists)
    {
        if (-not $registered)
        {
            return New-SrResult -Changed $false -Detail ("The agent is not installed ('{0}' not found) and no VSS provider is registered; the agent installer registers it." -f $exePath) -Property @{ actions = @() }
        }
        # No qemu-ga.exe to run vss-uninstall: the dll's own unregistration, if a dll is left, then the leftovers.
        $system = ([string](Get-SrPlatformOs).systemDirectory).TrimEnd('\')
        foreach ($dll in @($state.inprocServer32, $expectedDll) | Where-Object { -not [string]::IsNullOrEmpty($_) } | Select-Object -Unique)
        {
            if (Test-SrPlatformPath -Path $dll)
            {
                $run = Invoke-SrPlatformProcess -FilePath ('{0}\rundll32.exe' -f $system) -ArgumentList @(('{0},DLLCOMUnregister' -f $dll)) -TimeoutSeconds 120
                $actions.Add(('rundll32 {0},DLLCOMUnregister exit {1}' -f $dll, $run.exitCode))
                break
            }
        }
        & $clearLeftovers
        return New-SrResult -Changed $true -Detail ("The stale VSS provider registration was removed ('{0}' is missing, so nothing was registered again; the agent installer registers the provider)." -f $exePath) -Property @{ actions = [string[]]$actions.ToArray() }
    }

    Write-Verbose -Message ("VSS provider registration not healthy (InprocServer32 '{0}', expected '{1}'); unregistering first." -f $state.inprocServer32, $expectedDll)
    $uninstall = Invoke-SrPlatformProcess -FilePath $exePath -ArgumentList @('-s', 'vss-uninstall') -TimeoutSeconds 120
    $actions.Add(('vss-uninstall exit {0}' -f $uninstall.exitCode))
    & $clearLeftovers

    $install = Invoke-SrPlatformProcess -FilePath $exePath -ArgumentList @('-s', 'vss-install') -TimeoutSeconds 120
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
