function Invoke-SrLabProcess
{
    <#
    .SYNOPSIS
        Simulates running a program in the lab guest.

    .DESCRIPTION
        Dispatches on the executable's file name; the argument array is only
        compared with expected literal values, never evaluated. Every call is
        appended to state.processLog.
          msiexec.exe /i <msi> /qn /norestart /L*V <log>  agent MSI (faults
            InstallerBusy1618, InstallerFails1603; a 32-bit MSI on 64-bit
            Windows exits 1603; missing package 1619)
          msiexec.exe /fa <ProductCode> ...                repair of an
            installed agent product (see Repair-SrLabAgentPackage; 1605 for
            an unknown product, 1618 with InstallerBusy1618)
          qemu-ga.exe -s vss-install|vss-uninstall         see Invoke-SrLabQemuGa
          pnputil.exe /add-driver <inf> /install (build 14393+), or the
            legacy pnputil.exe -i -a <inf>                 binds the
            virtio-serial devices if the signer of the .cat beside the INF is
            in TrustedPublisher (exit 1 otherwise, a stand-in for the
            publisher prompt); behaviour DriverRequiresReboot: exit 3010 and
            binding happens at the next reboot
          <guest-tools exe> /install /quiet /norestart /log <log>  agent MSI
            plus driver
        Mutates -State.

    .PARAMETER State
        The lab state.

    .PARAMETER FilePath
        Program path.

    .PARAMETER ArgumentList
        Arguments.

    .EXAMPLE
        Invoke-SrLabProcess -State $state -FilePath 'C:\Windows\system32\msiexec.exe' -ArgumentList '/i', 'D:\guest-agent\qemu-ga-x86_64.msi', '/qn', '/norestart', '/L*V', 'C:\Windows\Temp\qga.log'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with exitCode, stdout and stderr.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $FilePath,

        [Parameter()]
        [AllowEmptyCollection()]
        [string[]]
        $ArgumentList = @()
    )

    $State.processLog = @($State.processLog) + @([ordered]@{ filePath = $FilePath; argumentList = [string[]]@($ArgumentList) })
    $leaf = $FilePath.Split('\')[-1].ToLowerInvariant()
    $faults = @($State.faults)
    $result = {
        param([int] $ExitCode, [string] $Stdout = '', [string] $Stderr = '')
        [pscustomobject]@{ exitCode = $ExitCode; stdout = $Stdout; stderr = $Stderr }
    }
    $writeLog = {
        param([string] $LogPath, [string[]] $Lines)
        if (-not [string]::IsNullOrEmpty($LogPath))
        {
            Set-SrLabFile -State $State -Path $LogPath -Content (($Lines | ForEach-Object { $_ }) -join "`n")
        }
    }
    $applyPackage = {
        param([string] $Version, [string] $Architecture, [string] $LogPath)
        $outcome = Install-SrLabAgentPackage -State $State -Version $Version -Architecture $Architecture
        foreach ($key in @($outcome.state.Keys))
        {
            $State[$key] = $outcome.state[$key]
        }
        & $writeLog $LogPath @($outcome.log)
        return $outcome.exitCode
    }

    $isInstaller = $leaf -eq 'msiexec.exe' -or ($leaf -like '*.exe' -and $leaf -notin @('qemu-ga.exe', 'pnputil.exe', 'rundll32.exe'))
    if ($isInstaller -and $State.Contains('installDelaySeconds') -and [int]$State.installDelaySeconds -gt 0)
    {
        # Simulated install time (benchmarks): the installer simply takes this long.
        Start-Sleep -Seconds ([int]$State.installDelaySeconds)
    }

    if ($leaf -eq 'msiexec.exe' -and $ArgumentList.Count -ge 2 -and $ArgumentList[0] -eq '/fa')
    {
        # Repair (reinstall all files and components) of an installed product.
        if ($faults -contains 'InstallerBusy1618')
        {
            return & $result 1618 '' (Get-SrLabText -State $State -Key 'MsiBusy')
        }
        $product = @($State.msiProducts | Where-Object { $_.productCode -eq $ArgumentList[1] }) | Select-Object -First 1
        if ($null -eq $product)
        {
            return & $result 1605 '' (Get-SrLabText -State $State -Key 'MsiNotInstalled')
        }
        $logPath = $null
        $logIndex = [array]::IndexOf([string[]]$ArgumentList, '/L*V')
        if ($logIndex -ge 0 -and $logIndex + 1 -lt $ArgumentList.Count) { $logPath = $ArgumentList[$logIndex + 1] }
        $repair = Repair-SrLabAgentPackage -State $State -Product $product
        & $writeLog $logPath @($repair.log)
        return & $result $repair.exitCode
    }

    if ($leaf -eq 'msiexec.exe')
    {
        if ($ArgumentList.Count -lt 2 -or $ArgumentList[0] -ne '/i')
        {
            return & $result 1639 '' (Get-SrLabText -State $State -Key 'MsiInvalidArg')
        }
        $logPath = $null
        $logIndex = [array]::IndexOf([string[]]$ArgumentList, '/L*V')
        if ($logIndex -ge 0 -and $logIndex + 1 -lt $ArgumentList.Count) { $logPath = $ArgumentList[$logIndex + 1] }
        if ($faults -contains 'InstallerBusy1618')
        {
            return & $result 1618 '' (Get-SrLabText -State $State -Key 'MsiBusy')
        }
        $package = Get-SrLabFile -State $State -Path $ArgumentList[1]
        if ($null -eq $package -or $package.content -notmatch '^LAB-MSI\|qemu-ga\|(?<version>[0-9.]+)\|(?<arch>x64|x86)$')
        {
            return & $result 1619 '' (Get-SrLabText -State $State -Key 'MsiBadPackage')
        }
        $version = $Matches['version']
        $arch = $Matches['arch']
        if ($faults -contains 'InstallerFails1603')
        {
            & $writeLog $logPath @('Injected fault InstallerFails1603.', (Get-SrLabText -State $State -Key 'MsiFailed' -Argument 1603))
            return & $result 1603
        }
        if ($arch -eq 'x86' -and $State.os.architecture -ne 'x86')
        {
            & $writeLog $logPath @('This installation package is not supported on 64-bit Windows (launch condition).', (Get-SrLabText -State $State -Key 'MsiFailed' -Argument 1603))
            return & $result 1603
        }
        return & $result (& $applyPackage $version $arch $logPath)
    }

    $exe = Get-SrLabFile -State $State -Path $FilePath
    if ($leaf -eq 'qemu-ga.exe')
    {
        if ($null -eq $exe)
        {
            throw "The system cannot find the file specified: '$FilePath'."
        }
        return Invoke-SrLabQemuGa -State $State -ExePath $FilePath -ArgumentList $ArgumentList
    }

    if ($leaf -eq 'rundll32.exe')
    {
        # rundll32 <dir>\qga-vss.dll,DLLCOMUnregister|DLLCOMRegister: the dll's own (un)registration.
        if ($ArgumentList.Count -eq 1 -and $ArgumentList[0] -match '^(?<dll>.+\\qga-vss\.dll),(?<entry>DLLCOMUnregister|DLLCOMRegister)$')
        {
            $dll = $Matches['dll']
            $entry = $Matches['entry']
            if ($null -eq (Get-SrLabFile -State $State -Path $dll))
            {
                return & $result 1 '' ("Error loading {0}: The specified module could not be found." -f $dll)
            }
            $verb = 'vss-uninstall'
            if ($entry -eq 'DLLCOMRegister') { $verb = 'vss-install' }
            return Invoke-SrLabQemuGa -State $State -ExePath ($dll.Substring(0, $dll.LastIndexOf('\')) + '\qemu-ga.exe') -ArgumentList @('-s', $verb)
        }
        return & $result 1 '' 'rundll32: arguments the lab does not know.'
    }

    if ($leaf -eq 'pnputil.exe')
    {
        # /add-driver <inf> /install exists from build 14393; the legacy -i -a <inf> everywhere.
        $modern = $ArgumentList.Count -eq 3 -and $ArgumentList[0] -eq '/add-driver' -and $ArgumentList[2] -eq '/install' -and [int]$State.os.build -ge 14393
        $legacy = $ArgumentList.Count -eq 3 -and $ArgumentList[0] -eq '-i' -and $ArgumentList[1] -eq '-a'
        if (-not $modern -and -not $legacy)
        {
            return & $result 87 '' (Get-SrLabText -State $State -Key 'PnputilInvalid')
        }
        $infPath = $ArgumentList[1]
        if ($legacy) { $infPath = $ArgumentList[2] }
        if ($null -eq (Get-SrLabFile -State $State -Path $infPath))
        {
            return & $result 2 (Get-SrLabText -State $State -Key 'PnputilNotFound')
        }
        $catalog = Get-SrLabFile -State $State -Path ($infPath.Substring(0, $infPath.LastIndexOf('\')) + '\vioser.cat')
        $trusted = $false
        if ($null -ne $catalog -and $null -ne $catalog.certificate)
        {
            $thumbprint = $catalog.certificate.thumbprint
            $trusted = @($State.certStores['trustedpublisher'] | Where-Object { $_.thumbprint -eq $thumbprint }).Count -gt 0
        }
        if (-not $trusted)
        {
            return & $result 1 (Get-SrLabText -State $State -Key 'PnputilUntrusted')
        }
        $devices = @($State.pnpDevices)
        if ($devices.Count -eq 0)
        {
            return & $result 0 ('{0} {1}' -f (Get-SrLabText -State $State -Key 'PnputilAdded'), (Get-SrLabText -State $State -Key 'PnputilNoDevices'))
        }
        if ($faults -contains 'DriverRequiresReboot')
        {
            foreach ($device in $devices) { $device.pendingBind = $true }
            return & $result 3010 ('{0} {1}' -f (Get-SrLabText -State $State -Key 'PnputilAdded'), (Get-SrLabText -State $State -Key 'PnputilReboot'))
        }
        foreach ($device in $devices)
        {
            $device.status = 'OK'
            $device.driverVersion = '100.94.104.26600'
            $device.driverProvider = 'Red Hat, Inc.'
            $device.infName = 'oem3.inf'
            $device.friendlyName = 'VirtIO Serial Driver'
            $device.className = Get-SrLabText -State $State -Key 'PnpClassSystem'
        }
        Set-SrLabRegistryValue -State $State -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\VirtioSerial' -Name 'Start' -Data 3 -Type DWord
        return & $result 0 ('{0} {1}' -f (Get-SrLabText -State $State -Key 'PnputilAdded'), (Get-SrLabText -State $State -Key 'PnputilInstalled'))
    }

    if ($null -eq $exe)
    {
        throw "The system cannot find the file specified: '$FilePath'."
    }
    if ($exe.content -match '^LAB-EXE\|guest-tools\|(?<version>[0-9.]+)\|(?<arch>x64|x86)$')
    {
        $version = $Matches['version']
        $arch = $Matches['arch']
        if (($ArgumentList -join ' ') -notmatch '^/install /quiet /norestart( /log .+)?$')
        {
            return & $result 1602 '' 'The bundle needs user interaction without /quiet.'
        }
        if ($faults -contains 'InstallerBusy1618') { return & $result 1618 }
        if ($faults -contains 'InstallerFails1603') { return & $result 1603 }
        $logPath = $null
        if ($ArgumentList.Count -ge 5) { $logPath = $ArgumentList[4] }
        $code = & $applyPackage $version $arch $logPath
        if ($code -eq 0 -or $code -eq 3010)
        {
            foreach ($device in @($State.pnpDevices))
            {
                $device.status = 'OK'
                $device.driverVersion = '100.94.104.26600'
                $device.driverProvider = 'Red Hat, Inc.'
                $device.infName = 'oem3.inf'
                $device.friendlyName = 'VirtIO Serial Driver'
                $device.className = Get-SrLabText -State $State -Key 'PnpClassSystem'
            }
        }
        return & $result $code
    }
    return & $result 1 '' ("'{0}' is not an executable the lab knows." -f $FilePath)
}
