function Get-SrGuestFact
{
    <#
    .SYNOPSIS
        Collects the facts a snapshot-readiness assessment needs (read-only).

    .DESCRIPTION
        Returns one document (schema docs/facts.schema.json, schemaVersion 1)
        describing the OS, the QEMU guest agent product and service, the VSS
        provider registration, the VirtIO Serial devices, agent logging, the
        pending-reboot signals, the pinned driver publisher certificate,
        snapready's marker key, the free space of the system drive and the
        VSS writers (ids, VSS_WRITER_STATE numbers and failure HRESULTs from
        the VSS API; no localized text). It changes nothing, so that a
        read-only credential can collect it: os.bootId is only read from the
        volatile key HKLM\SOFTWARE\snapready\Boot, which the write paths
        (Request-SrReboot, Set-SrRebootRequested, Register-SrRebootOutcome)
        create; it is $null when nothing created it in this boot or it
        cannot be read (the runner then compares lastBootUpTime). Serialise
        with ConvertTo-Json -Depth 10.

    .PARAMETER PinnedThumbprint
        Thumbprint of the publisher certificate (for example the signer of
        vioser.cat) whose presence in Cert:\LocalMachine\TrustedPublisher is
        reported. Optional.

    .PARAMETER ConfPath
        Path of the agent keyfile qemu-ga.conf. The location on Windows
        builds is unverified, hence a parameter. A -c/--config option in the
        service command line wins: the agent reads that file.

    .EXAMPLE
        Get-SrGuestFact -PinnedThumbprint 'A1B2C3D4E5F60718293A4B5C6D7E8F9011223344' | ConvertTo-Json -Depth 10

    .OUTPUTS
        System.Management.Automation.PSCustomObject (the facts document).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [ValidatePattern('^[0-9A-Fa-f]{40}$')]
        [string]
        $PinnedThumbprint,

        [Parameter()]
        [ValidatePattern('^[A-Za-z]:\\')]
        [string]
        $ConfPath = 'C:\Program Files\Qemu-ga\qemu-ga.conf'
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    Write-Verbose -Message 'Collecting OS facts.'
    $os = Get-SrPlatformOs
    $osFacts = [ordered]@{
        version        = [string]$os.version
        build          = [int]$os.build
        architecture   = [string]$os.architecture
        lastBootUpTime = [string]$os.lastBootUpTime
        bootId         = Get-SrBootId
    }
    $bootId = $osFacts.bootId

    Write-Verbose -Message 'Collecting agent facts.'
    $product = Get-SrAgentProduct -Architecture $os.architecture
    $service = Get-SrAgentService
    $imagePathInfo = $null
    if (-not [string]::IsNullOrEmpty($service.imagePath))
    {
        $imagePathInfo = ConvertFrom-SrAgentImagePath -ImagePath $service.imagePath
    }
    $installFolder = $product.installFolder
    if ($product.installed -and $null -eq $installFolder -and $null -ne $imagePathInfo -and -not [string]::IsNullOrEmpty($imagePathInfo.exePath))
    {
        $installFolder = Get-SrWindowsParentPath -Path $imagePathInfo.exePath
    }
    $agentFacts = [ordered]@{
        installed     = [bool]$product.installed
        version       = $product.version
        installFolder = $installFolder
        bitness       = $product.bitness
        productCode   = $product.productCode
    }
    $serviceFacts = [ordered]@{
        exists    = [bool]$service.exists
        name      = $service.name
        status    = $service.status
        startType = $service.startType
        imagePath = $service.imagePath
    }

    Write-Verbose -Message 'Collecting VSS provider facts.'
    $vss = Get-SrVssProviderState
    $vssFacts = [ordered]@{
        serviceExists      = [bool]$vss.serviceExists
        startType          = $vss.startType
        status             = $vss.status
        comPlusRegistered  = $(if ($null -eq $vss.comPlusRegistered) { $null } else { [bool]$vss.comPlusRegistered })
        inprocServer32     = $vss.inprocServer32
        inprocServerExists = [bool]$vss.inprocServerExists
        vssOption          = $vss.vssOption
        # Why comPlusRegistered is null (unknown: the COM+ catalog cannot be read), else null.
        comPlusUnknownReason = $vss.comPlusUnknownReason
    }

    Write-Verbose -Message 'Collecting VirtIO Serial facts.'
    $vio = Get-SrVioSerialState
    $vioFacts = [ordered]@{
        present = [bool]$vio.present
        bound   = [bool]$vio.bound
        devices = @($vio.devices)
    }

    Write-Verbose -Message 'Collecting logging facts.'
    $config = $null
    if ($null -ne $imagePathInfo)
    {
        $config = $imagePathInfo.config
    }
    $effectiveConfPath = Resolve-SrAgentConfPath -ConfPath $ConfPath -Config $config
    $confLines = Get-SrPlatformFileContent -Path $effectiveConfPath
    $confExists = $null -ne $confLines
    $confLogfile = $null
    $confVerbose = $false
    if ($confExists)
    {
        $conf = ConvertFrom-SrAgentConf -Line @($confLines)
        $confLogfile = $conf.logfile
        $confVerbose = [bool]$conf.verbose
    }
    $imagePathLogfile = $null
    $imagePathVerbose = $false
    if ($null -ne $imagePathInfo)
    {
        $imagePathLogfile = $imagePathInfo.logfile
        $imagePathVerbose = [bool]$imagePathInfo.verbose
    }
    $loggingFacts = [ordered]@{
        imagePathLogfile = $imagePathLogfile
        imagePathVerbose = $imagePathVerbose
        confPath         = $effectiveConfPath
        confExists       = $confExists
        confLogfile      = $confLogfile
        confVerbose      = $confVerbose
        enabled          = ($null -ne $imagePathLogfile -or $imagePathVerbose -or $null -ne $confLogfile -or $confVerbose)
    }

    Write-Verbose -Message 'Collecting pending reboot, publisher and marker facts.'
    $pending = Get-SrPendingReboot -LastBootUpTime $os.lastBootUpTime -BootId $bootId
    $publisherFacts = [ordered]@{
        thumbprint = $null
        trusted    = $false
        notAfter   = $null
        expired    = $false
    }
    if ($PSBoundParameters.ContainsKey('PinnedThumbprint'))
    {
        $publisherFacts.thumbprint = $PinnedThumbprint.ToUpperInvariant()
        $certificate = Get-SrPlatformCertificate -StoreName TrustedPublisher -Thumbprint $PinnedThumbprint
        if ($null -ne $certificate)
        {
            $publisherFacts.trusted = $true
            $notAfter = ConvertFrom-SrIsoDate -Value ([string]$certificate.notAfter)
            $publisherFacts.notAfter = $notAfter.ToString('o')
            $publisherFacts.expired = ($notAfter -lt [datetime]::UtcNow)
        }
    }
    $marker = Get-SrMarkerState
    $markerFacts = [ordered]@{
        desiredStateHash = $marker.desiredStateHash
        driftGeneration  = $marker.driftGeneration
        appliedAt        = $marker.appliedAt
    }

    Write-Verbose -Message 'Collecting VSS writer facts.'
    $vssWriters = Get-SrVssWriterState

    [pscustomobject][ordered]@{
        schemaVersion = 1
        collectedAt   = [datetime]::UtcNow.ToString('o')
        os            = [pscustomobject]$osFacts
        agent         = [pscustomobject]$agentFacts
        agentService  = [pscustomobject]$serviceFacts
        vssProvider   = [pscustomobject]$vssFacts
        vioSerial     = [pscustomobject]$vioFacts
        logging       = [pscustomobject]$loggingFacts
        pendingReboot = [pscustomobject][ordered]@{
            pending            = [bool]$pending.pending
            reasons            = @($pending.reasons)
            requestedBy        = @($pending.requestedBy)
            notClearedByReboot = @($pending.notClearedByReboot)
        }
        publisher     = [pscustomobject]$publisherFacts
        marker        = [pscustomobject]$markerFacts
        disk          = [pscustomobject][ordered]@{
            systemDriveFreeBytes = [long](Get-SrPlatformDiskFreeSpace)
        }
        vssWriters    = $vssWriters
    }
}
