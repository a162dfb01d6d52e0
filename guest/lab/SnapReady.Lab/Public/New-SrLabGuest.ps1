function New-SrLabGuest
{
    <#
    .SYNOPSIS
        Creates a simulated bare Windows guest in one JSON state file.

    .DESCRIPTION
        The guest is Windows Server 2019-like (10.0.17763, x64) with a
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
        DriverRequiresReboot (pnputil exits 3010).

    .PARAMETER Path
        State file to create (overwritten).

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
            'InstallerRequiresReboot', 'DriverRequiresReboot')]
        [string[]]
        $Fault = @(),

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

    $state = [ordered]@{
        schema             = 'snapready-lab/1'
        status             = 'up'
        upAt               = $null
        faults             = @($Fault)
        rebootDelaySeconds = $RebootDelaySeconds
        installDelaySeconds = $InstallDelaySeconds
        os                 = [ordered]@{
            caption         = 'Windows Server 2019 Datacenter (lab)'
            version         = '10.0.17763'
            build           = 17763
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
    }
    if ($Fault -notcontains 'NoVirtioSerialDevice')
    {
        $state.pnpDevices = @([ordered]@{
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
    $state.services['eventlog'] = [ordered]@{ status = 'Running' }

    Set-SrLabFile -State $state -Path 'D:\guest-agent\qemu-ga-x86_64.msi' -Content $msiContent -Certificate $installerSigner
    Set-SrLabFile -State $state -Path 'D:\guest-agent\qemu-ga-i386.msi' -Content ('LAB-MSI|qemu-ga|{0}|x86' -f $agentVersion) -Certificate $installerSigner
    Set-SrLabFile -State $state -Path 'D:\virtio-win-guest-tools.exe' -Content ('LAB-EXE|guest-tools|{0}|x64' -f $agentVersion) -Certificate $installerSigner
    Set-SrLabFile -State $state -Path 'D:\vioserial\2k19\amd64\vioser.inf' -Content '[Version] Signature="$WINDOWS NT$" Class=System Provider=%RHEL%'
    Set-SrLabFile -State $state -Path 'D:\vioserial\2k19\amd64\vioser.cat' -Content 'LAB-CAT|vioser' -Certificate $driverSigner
    Set-SrLabFile -State $state -Path 'D:\vioserial\2k19\amd64\vioser.sys' -Content 'LAB-SYS|vioser'
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
        infPath                   = 'D:\vioserial\2k19\amd64\vioser.inf'
        catPath                   = 'D:\vioserial\2k19\amd64\vioser.cat'
        cerPath                   = 'D:\cert\virtio-signer.cer'
        signerThumbprint          = $driverSigner.thumbprint
        installerSignerThumbprint = $installerSigner.thumbprint
        confPath                  = 'C:\Program Files\Qemu-ga\qemu-ga.conf'
    }
}
