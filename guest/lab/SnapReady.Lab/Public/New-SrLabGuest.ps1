function New-SrLabGuest
{
    <#
    .SYNOPSIS
        Creates a simulated bare Windows guest in one JSON state file.

    .DESCRIPTION
        The guest is Windows Server 2019-like (10.0.17763, x64; -Os picks
        another supported version, -Locale ja-JP a Japanese one) with a
        virtio-serial device (PCI\VEN_1AF4&DEV_1003) present but without a
        driver, no agent, and virtio-win media on D: (agent MSIs for x64 and
        i386, guest-tools bundle, vioserial driver with a signed catalog, the
        signer certificate). Remote sources (https and UNC) serve the agent
        MSI, plus a tampered copy for hash-mismatch tests.
        Faults and behaviours (kept in the state file, see Set-SrLabFault):
        InstallerFails1603, InstallerBusy1618, AgentServiceStartFails,
        RebootNeverReturns, PublisherCertificateExpired, NoVirtioSerialDevice,
        Wow64Agent (a 32-bit agent is already installed), StaleVssRegistration
        (agent 100.0.0 installed, COM+ registration pointing at a missing
        old dll), InstallerRequiresReboot (agent MSI exits 3010),
        DriverRequiresReboot (pnputil exits 3010), RebootPendingStuck (the
        CBS RebootPending key is set and no reboot clears it: servicing
        that never completes), VssWriterFailed (the System Writer reports
        VSS_WRITER_STATE 9, FAILED_AT_FREEZE, with last error 0x800423F2,
        VSS_E_WRITERERROR_TIMEOUT, while the fault is set),
        StagingFolderHijacked (C:\ProgramData\snapready\installers is a
        junction owned by a local user, see Set-SrLabFault).
        Every guest has VSS writers (state.vssWriters: System, Registry,
        COM+ REGDB, WMI and ASR Writer, plus SqlServerWriter on servers),
        Stable with no error; writer names follow -Locale, ids do not.

    .PARAMETER Path
        State file to create (overwritten).

    .PARAMETER Os
        Windows version of the guest: 2012r2, 2016, 2019 (the default),
        2022, 2025, win10 or win11 (see Get-SrLabOsProfile): version and
        build, edition, execution policy (Restricted on win10/win11),
        Get-PnpDevice and pnputil /add-driver from build 14393 only, and the
        vioserial folder on the media (D:\vioserial\<2k12R2|2k16|...|w11>\amd64).

    .PARAMETER Locale
        Display language of the guest: en-US (the default) or ja-JP, which
        shows Windows' own names and tool messages in Japanese (device class
        and generic device names, Windows service display names, pnputil
        and msiexec messages, system error texts; see Get-SrLabText).
        Installer-set names (QEMU Guest Agent services, the driver's
        friendly name) stay as the installer sets them.

    .PARAMETER Fault
        Faults and behaviours to inject.

    .PARAMETER RebootDelaySeconds
        How long a restart takes. 0 (the default) completes a restart at
        once. With N > 0 a restart leaves the guest 'rebooting' for N
        seconds, during which every platform call fails as unreachable (see
        Set-SrLabOption).

    .PARAMETER InstallDelaySeconds
        How long the simulated installers (msiexec, the guest-tools bundle,
        vendor setups) run before they finish. 0 (the default) finishes at
        once; benchmarks use it to simulate real install times.

    .EXAMPLE
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'guest.json') -Fault StaleVssRegistration

    .EXAMPLE
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'slow.json') -RebootDelaySeconds 3

    .EXAMPLE
        $lab = New-SrLabGuest -Path (Join-Path $TestDrive 'ja.json') -Os 2012r2 -Locale ja-JP

    .OUTPUTS
        System.Management.Automation.PSCustomObject describing the media:
        statePath, agentVersion, msiPath, msi32Path, guestToolsPath,
        msiSha256, url, uncPath, tamperedUrl, infPath, catPath, cerPath,
        signerThumbprint, installerSignerThumbprint, confPath.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path,

        [Parameter()]
        [ValidateSet('InstallerFails1603', 'InstallerBusy1618', 'AgentServiceStartFails', 'RebootNeverReturns',
            'PublisherCertificateExpired', 'NoVirtioSerialDevice', 'Wow64Agent', 'StaleVssRegistration',
            'InstallerRequiresReboot', 'DriverRequiresReboot', 'RebootPendingStuck', 'VssWriterFailed', 'StagingFolderHijacked')]
        [string[]]
        $Fault = @(),

        [Parameter()]
        [ValidateSet('2012r2', '2016', '2019', '2022', '2025', 'win10', 'win11')]
        [string]
        $Os = '2019',

        [Parameter()]
        [ValidateSet('en-US', 'ja-JP')]
        [string]
        $Locale = 'en-US',

        [Parameter()]
        [ValidateRange(0, 86400)]
        [int]
        $RebootDelaySeconds = 0,

        [Parameter()]
        [ValidateRange(0, 3600)]
        [int]
        $InstallDelaySeconds = 0
    )

    $agentVersion = '108.0.2'
    $signerNotAfter = '2031-06-30T23:59:59.0000000Z'
    if ($Fault -contains 'PublisherCertificateExpired')
    {
        $signerNotAfter = '2023-06-30T23:59:59.0000000Z'
    }
    $driverSigner = [ordered]@{
        thumbprint = '5B8C2A7E3F1D4C6B9A0E8D7C6B5A4F3E2D1C0B9A'
        subject    = 'CN=Red Hat, Inc., O=Red Hat, Inc., L=Raleigh, S=North Carolina, C=US'
        notBefore  = '2021-06-30T00:00:00.0000000Z'
        notAfter   = $signerNotAfter
    }
    $installerSigner = [ordered]@{
        thumbprint = '1F2E3D4C5B6A79880716253443526170F9E8D7C6'
        subject    = 'CN=Lab Vendor Code Signing'
        notBefore  = '2022-01-01T00:00:00.0000000Z'
        notAfter   = '2032-01-01T00:00:00.0000000Z'
    }
    $msiContent = 'LAB-MSI|qemu-ga|{0}|x64' -f $agentVersion
    $osProfile = Get-SrLabOsProfile -Os $Os
    $driverDir = 'D:\vioserial\{0}\amd64' -f $osProfile.driverFolder

    $state = [ordered]@{
        schema             = 'snapready-lab/1'
        status             = 'up'
        upAt               = $null
        faults             = @($Fault)
        rebootDelaySeconds = $RebootDelaySeconds
        installDelaySeconds = $InstallDelaySeconds
        os                 = [ordered]@{
            caption         = $osProfile.caption
            version         = $osProfile.version
            build           = $osProfile.build
            key             = $osProfile.key
            edition         = $osProfile.edition
            locale          = $Locale
            # Read by nothing in the guest module: the host's remote import lifts it (Install-SrHostRemoteModule).
            executionPolicy = $osProfile.executionPolicy
            hasGetPnpDevice = $osProfile.hasGetPnpDevice
            architecture    = 'x64'
            bootCount       = 1
            lastBootUpTime  = ([datetime]'2025-01-01T00:00:00Z').ToUniversalTime().AddHours(1).ToString('o')
            systemDirectory = 'C:\Windows\system32'
            systemDrive     = 'C:'
            freeBytes       = 42949672960
        }
        registry           = [ordered]@{}
        services           = [ordered]@{}
        files              = [ordered]@{}
        directories        = @()
        remote             = [ordered]@{}
        msiProducts        = @()
        comPlus            = @()
        pnpDevices         = @()
        certStores         = [ordered]@{ trustedpublisher = @() }
        processLog         = @()
        restartLog         = @()
        vssWriters         = @()
    }
    $writers = @(
        , @('WriterSystem', '{e8132975-6f93-4464-a53e-1050253ae220}')
        , @('WriterRegistry', '{afbab4a2-367d-4d15-a586-71dbb18f8485}')
        , @('WriterComPlus', '{542da469-d3e1-473c-9f4f-7847f01fc64f}')
        , @('WriterWmi', '{a6ad56c2-b509-4e6c-bb19-49d8f43532f0}')
        , @('WriterAsr', '{be000cbe-11fe-4426-9c58-531aa6355fc4}')
    )
    $state.vssWriters = @(foreach ($writer in $writers)
        {
            [ordered]@{ name = Get-SrLabText -State $state -Key $writer[0]; writerId = $writer[1]; instanceId = [guid]::NewGuid().ToString('B'); state = 1; lastError = 0 }
        })
    if ($osProfile.edition -eq 'server')
    {
        # A server running SQL Server: its writer registers its own (not localized) name.
        $state.vssWriters += [ordered]@{ name = 'SqlServerWriter'; writerId = '{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}'; instanceId = [guid]::NewGuid().ToString('B'); state = 1; lastError = 0 }
    }
    if ($Fault -notcontains 'NoVirtioSerialDevice')
    {
        # Without a driver Windows names the device itself (localized); binding gives the INF's name.
        $state.pnpDevices = @([ordered]@{
                friendlyName   = Get-SrLabText -State $state -Key 'PnpUnboundName'
                className      = Get-SrLabText -State $state -Key 'PnpClassOther'
                instanceId     = 'PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00\3&13C0B0C5&0&30'
                hardwareId     = 'PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00'
                status         = 'Error'
                driverVersion  = $null
                driverProvider = $null
                infName        = $null
                pendingBind    = $false
            })
    }

    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name 'BootExecute' -Data @('autocheck autochk *') -Type MultiString
    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\W32Time' -Name 'Start' -Data 3 -Type DWord
    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog' -Name 'Start' -Data 2 -Type DWord
    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog' -Name 'DisplayName' -Data (Get-SrLabText -State $state -Key 'SvcEventLog') -Type String
    $state.services['eventlog'] = [ordered]@{ status = 'Running' }
    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\VSS' -Name 'Start' -Data 3 -Type DWord
    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\VSS' -Name 'DisplayName' -Data (Get-SrLabText -State $state -Key 'SvcVss') -Type String
    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\TermService' -Name 'Start' -Data 3 -Type DWord
    Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\TermService' -Name 'DisplayName' -Data (Get-SrLabText -State $state -Key 'SvcTermService') -Type String

    Set-SrLabFile -State $state -Path 'D:\guest-agent\qemu-ga-x86_64.msi' -Content $msiContent -Certificate $installerSigner
    Set-SrLabFile -State $state -Path 'D:\guest-agent\qemu-ga-i386.msi' -Content ('LAB-MSI|qemu-ga|{0}|x86' -f $agentVersion) -Certificate $installerSigner
    Set-SrLabFile -State $state -Path 'D:\virtio-win-guest-tools.exe' -Content ('LAB-EXE|guest-tools|{0}|x64' -f $agentVersion) -Certificate $installerSigner
    Set-SrLabFile -State $state -Path ($driverDir + '\vioser.inf') -Content '[Version] Signature="$WINDOWS NT$" Class=System Provider=%RHEL%'
    Set-SrLabFile -State $state -Path ($driverDir + '\vioser.cat') -Content 'LAB-CAT|vioser' -Certificate $driverSigner
    Set-SrLabFile -State $state -Path ($driverDir + '\vioser.sys') -Content 'LAB-SYS|vioser'
    Set-SrLabFile -State $state -Path 'D:\cert\virtio-signer.cer' -Content 'LAB-CER|virtio-signer' -Certificate $driverSigner

    $url = 'https://downloads.lab.invalid/virtio-win/qemu-ga-x86_64.msi'
    $uncPath = '\\fileserver.lab.invalid\share\qemu-ga\qemu-ga-x86_64.msi'
    $tamperedUrl = 'https://mirror.lab.invalid/virtio-win/qemu-ga-x86_64.msi'
    $state.remote[$url.ToLowerInvariant()] = [ordered]@{ source = $url; content = $msiContent; certificate = $installerSigner }
    $state.remote[$uncPath.ToLowerInvariant()] = [ordered]@{ source = $uncPath; content = $msiContent; certificate = $installerSigner }
    $state.remote[$tamperedUrl.ToLowerInvariant()] = [ordered]@{ source = $tamperedUrl; content = ($msiContent + '|tampered'); certificate = $null }

    if ($Fault -contains 'Wow64Agent')
    {
        $outcome = Install-SrLabAgentPackage -State $state -Version $agentVersion -Architecture x86
        $state = $outcome.state
    }
    if ($Fault -contains 'StaleVssRegistration')
    {
        $faultsBackup = @($state.faults)
        $state.faults = @()
        $outcome = Install-SrLabAgentPackage -State $state -Version '100.0.0' -Architecture x64
        $state = $outcome.state
        $state.faults = $faultsBackup
        $staleDll = 'C:\Program Files\Qemu-ga\old\qga-vss.dll'
        foreach ($application in @($state.comPlus)) { $application.dllPath = $staleDll }
        Set-SrLabRegistryValue -State $state -Path 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}\InprocServer32' -Name '(default)' -Data $staleDll -Type String
    }
    if ($Fault -contains 'RebootPendingStuck')
    {
        Set-SrLabRegistryValue -State $state -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
    }
    $state.processLog = @()

    $directory = Split-Path -Parent $Path
    if ($directory -and -not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory -Force }
    Write-SrLabState -Path $Path -State $state

    [pscustomobject]@{
        statePath                 = $Path
        agentVersion              = $agentVersion
        msiPath                   = 'D:\guest-agent\qemu-ga-x86_64.msi'
        msi32Path                 = 'D:\guest-agent\qemu-ga-i386.msi'
        guestToolsPath            = 'D:\virtio-win-guest-tools.exe'
        msiSha256                 = Get-SrLabContentHash -Content $msiContent
        url                       = $url
        uncPath                   = $uncPath
        tamperedUrl               = $tamperedUrl
        infPath                   = ($driverDir + '\vioser.inf')
        catPath                   = ($driverDir + '\vioser.cat')
        cerPath                   = 'D:\cert\virtio-signer.cer'
        signerThumbprint          = $driverSigner.thumbprint
        installerSignerThumbprint = $installerSigner.thumbprint
        confPath                  = 'C:\Program Files\Qemu-ga\qemu-ga.conf'
    }
}
