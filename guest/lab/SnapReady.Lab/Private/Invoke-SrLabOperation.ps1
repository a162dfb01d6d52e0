function Invoke-SrLabOperation
{
    <#
    .SYNOPSIS
        Implements one SnapReady.Guest platform-layer call against a lab state file.

    .DESCRIPTION
        The provider installed by Enable-SrLab forwards every platform call
        here with the function name and its bound parameters. The state file
        is read, the operation applied, and the file written back when the
        operation mutates it. Read-only operations (listed below) read it
        with Read-SrLabState -Shared, so the calls of one facts collection
        parse an unchanged file once; they must not change the state (one
        that asks to save it fails). A guest that never came back from a reboot
        ('down'), or that is still rebooting (before its upAt), fails every
        call with a terminating SrGuestUnreachable error (category
        ConnectionError, TargetObject { status, upAt, retryable = $true },
        built by SnapReady.Guest's New-SrErrorRecord in the guest module's
        scope); the first call at or after upAt completes the boot and
        proceeds. Parameters are used only as data
        (dictionary keys and literal comparisons).
        Enter-SrPlatformMutex stands in for a machine-wide named mutex with
        an exclusive lock on a file beside the state file
        (<state>.<name>.mutex, FileShare.None, which other processes cannot
        open until it is closed), retried every 25 ms until the timeout;
        Exit-SrPlatformMutex closes it, even while the guest is rebooting
        (on a real guest the reboot would end the owning session).

    .PARAMETER StatePath
        The guest's state file.

    .PARAMETER Operation
        Name of the SnapReady.Guest platform function.

    .PARAMETER Parameters
        Its bound parameters.

    .EXAMPLE
        Invoke-SrLabOperation -StatePath $statePath -Operation 'Get-SrPlatformOs' -Parameters @{}

    .OUTPUTS
        Whatever the platform function returns.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $StatePath,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Operation,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [System.Collections.IDictionary]
        $Parameters
    )

    if ($Operation -eq 'Exit-SrPlatformMutex' -and $null -ne $Parameters['Handle'])
    {
        $Parameters['Handle'].Dispose()
        return
    }
    # Read-only operations share one parsed state while the file is unchanged
    # (Read-SrLabState -Shared); the others change the state they read.
    $readOnlyOperations = @(
        'Get-SrPlatformOs', 'Get-SrPlatformService', 'Test-SrPlatformRegistryKey', 'Get-SrPlatformRegistryValue',
        'Get-SrPlatformUninstallEntry', 'Get-SrPlatformRelatedProduct', 'Get-SrPlatformPnpDevice',
        'Get-SrPlatformComPlusApplication', 'Get-SrPlatformCertificate', 'Read-SrPlatformCertificate',
        'Get-SrPlatformAuthenticodeSignature', 'Test-SrPlatformPath', 'Get-SrPlatformFileHash',
        'Get-SrPlatformFileContent', 'Get-SrPlatformDiskFreeSpace', 'Get-SrPlatformVssWriter',
        'Enter-SrPlatformMutex', 'Exit-SrPlatformMutex',
        'Get-SrPlatformDirectorySecurity', 'Open-SrPlatformFile', 'Close-SrPlatformFile'
    )
    $readOnly = $readOnlyOperations -ccontains $Operation
    $state = Read-SrLabState -Path $StatePath -Shared:$readOnly
    $guestName = [System.IO.Path]::GetFileNameWithoutExtension($StatePath)
    $unreachable = $null
    $unreachableUpAt = $null
    if ($state.status -eq 'down')
    {
        $unreachable = 'lab guest {0} is unreachable (down: it did not come back from the last reboot)' -f $guestName
    }
    if ($state.status -eq 'rebooting')
    {
        $upAt = [datetime]::Parse([string]$state.upAt, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
        if ([datetime]::UtcNow -lt $upAt)
        {
            $unreachable = 'lab guest {0} is unreachable (rebooting until {1})' -f $guestName, $state.upAt
            $unreachableUpAt = [string]$state.upAt
        }
        else
        {
            if ($readOnly)
            {
                # The shared state is never changed: completing the boot changes a fresh copy.
                $state = Read-SrLabState -Path $StatePath
            }
            Complete-SrLabBoot -State $state -BootTime $state.upAt
            Write-SrLabState -Path $StatePath -State $state
        }
    }
    if ($null -ne $unreachable)
    {
        # The error record comes from SnapReady.Guest's own builder (New-SrErrorRecord),
        # called in the scope of the guest module this lab serves.
        $guestModule = Get-Module -Name 'SnapReady.Guest' | Select-Object -First 1
        if ($null -eq $guestModule)
        {
            throw 'Import the SnapReady.Guest module before using the lab.'
        }
        $target = @{ status = [string]$state.status; upAt = $unreachableUpAt }
        $record = & $guestModule {
            param([string] $Message, [System.Collections.IDictionary] $Property)
            New-SrErrorRecord -Message $Message -ErrorId 'SrGuestUnreachable' -Category ConnectionError -Retryable $true -Property $Property
        } $unreachable $target
        $PSCmdlet.ThrowTerminatingError($record)
    }
    $p = $Parameters
    $save = $false
    $output = $null
    $uninstallRoots = @(
        @{ prefix = 'hklm:\software\microsoft\windows\currentversion\uninstall\'; wow = $false }
        @{ prefix = 'hklm:\software\wow6432node\microsoft\windows\currentversion\uninstall\'; wow = $true }
    )

    switch ($Operation)
    {
        'Get-SrPlatformOs'
        {
            $output = [pscustomobject]@{
                version         = $state.os.version
                build           = [int]$state.os.build
                architecture    = $state.os.architecture
                lastBootUpTime  = $state.os.lastBootUpTime
                systemDirectory = $state.os.systemDirectory
                systemDrive     = $state.os.systemDrive
            }
        }
        'Get-SrPlatformService'
        {
            $output = Get-SrLabService -State $state -Name $p['Name']
        }
        'Set-SrPlatformServiceStartType'
        {
            $service = Get-SrLabService -State $state -Name $p['Name']
            if ($null -eq $service) { throw "Service '$($p['Name'])' was not found on computer '.'." }
            $start = @{ Automatic = 2; Manual = 3; Disabled = 4 }[$p['StartType']]
            Set-SrLabRegistryValue -State $state -Path ('HKLM:\SYSTEM\CurrentControlSet\Services\' + $service.name) -Name 'Start' -Data $start -Type DWord
            $save = $true
        }
        'Start-SrPlatformService'
        {
            Start-SrLabService -State $state -Name $p['Name']
            $save = $true
        }
        'Restart-SrPlatformService'
        {
            $service = Get-SrLabService -State $state -Name $p['Name']
            if ($null -eq $service) { throw "Cannot find any service with service name '$($p['Name'])'." }
            $state.services[$service.name.ToLowerInvariant()] = [ordered]@{ status = 'Stopped' }
            $state.restartLog = @($state.restartLog) + @($service.name)
            $save = $true
            Write-SrLabState -Path $StatePath -State $state
            Start-SrLabService -State $state -Name $service.name
        }
        'Test-SrPlatformRegistryKey'
        {
            $output = $state.registry.Contains((ConvertTo-SrLabRegistryPath -Path $p['Path']).ToLowerInvariant())
        }
        'Get-SrPlatformRegistryValue'
        {
            $output = Get-SrLabRegistryValue -State $state -Path $p['Path'] -Name $p['Name']
        }
        'Set-SrPlatformRegistryValue'
        {
            Set-SrLabRegistryValue -State $state -Path $p['Path'] -Name $p['Name'] -Data $p['Value'] -Type $p['Type']
            $save = $true
        }
        'New-SrPlatformVolatileRegistryKey'
        {
            # Volatile: Complete-SrLabBoot removes the key at the next boot.
            Set-SrLabRegistryValue -State $state -Path $p['Path']
            $state.registry[(ConvertTo-SrLabRegistryPath -Path $p['Path']).ToLowerInvariant()]['volatile'] = $true
            $save = $true
        }
        'Get-SrPlatformUninstallEntry'
        {
            $output = foreach ($keyId in @($state.registry.Keys))
            {
                foreach ($root in $uninstallRoots)
                {
                    if ($keyId.StartsWith($root.prefix) -and -not $keyId.Substring($root.prefix.Length).Contains('\'))
                    {
                        $key = $state.registry[$keyId]
                        $value = { param($n) if ($key.values.Contains($n)) { [string]$key.values[$n].data } else { '' } }
                        [pscustomobject]@{
                            keyName         = $key.path.Split('\')[-1]
                            displayName     = & $value 'displayname'
                            displayVersion  = & $value 'displayversion'
                            installLocation = & $value 'installlocation'
                            wow6432Node     = ($root.wow -and $state.os.architecture -ne 'x86')
                        }
                    }
                }
            }
        }
        'Get-SrPlatformRelatedProduct'
        {
            $output = @($state.msiProducts | Where-Object { $_.upgradeCode -eq $p['UpgradeCode'] } | ForEach-Object { $_.productCode })
        }
        'Get-SrPlatformPnpDevice'
        {
            $output = foreach ($device in @($state.pnpDevices))
            {
                if (@($p['HardwareId'] | Where-Object { ([string]$device.hardwareId).StartsWith($_, [System.StringComparison]::OrdinalIgnoreCase) }).Count -gt 0)
                {
                    [pscustomobject]@{
                        instanceId     = $device.instanceId
                        hardwareId     = (@($p['HardwareId'] | Where-Object { ([string]$device.hardwareId).StartsWith($_, [System.StringComparison]::OrdinalIgnoreCase) }))[0]
                        status         = $device.status
                        driverVersion  = $device.driverVersion
                        driverProvider = $device.driverProvider
                        infName        = $device.infName
                    }
                }
            }
        }
        'Get-SrPlatformComPlusApplication'
        {
            $application = @($state.comPlus | Where-Object { $_.name -eq $p['Name'] }) | Select-Object -First 1
            if ($null -ne $application)
            {
                $output = [pscustomobject]@{ name = $application.name; id = '{00000000-0000-0000-0000-000000000001}' }
            }
        }
        'Remove-SrPlatformComPlusApplication'
        {
            $state.comPlus = @($state.comPlus | Where-Object { $_.name -ne $p['Name'] })
            $save = $true
        }
        'Remove-SrPlatformRegistryKey'
        {
            Remove-SrLabRegistryKey -State $state -Path $p['Path']
            $save = $true
        }
        'Invoke-SrPlatformProcess'
        {
            $arguments = @()
            if (@($p.Keys) -contains 'ArgumentList') { $arguments = [string[]]@($p['ArgumentList']) }
            $output = Invoke-SrLabProcess -State $state -FilePath $p['FilePath'] -ArgumentList $arguments
            $save = $true
        }
        'Get-SrPlatformCertificate'
        {
            $store = $p['StoreName'].ToLowerInvariant()
            if ($state.certStores.Contains($store))
            {
                $found = @($state.certStores[$store] | Where-Object { $_.thumbprint -eq $p['Thumbprint'].ToUpperInvariant() }) | Select-Object -First 1
                if ($null -ne $found) { $output = [pscustomobject]$found }
            }
        }
        'Read-SrPlatformCertificate'
        {
            $file = Get-SrLabFile -State $state -Path $p['Path']
            if ($null -ne $file -and $null -ne $file.certificate) { $output = [pscustomobject]$file.certificate }
        }
        'Add-SrPlatformCertificate'
        {
            $file = Get-SrLabFile -State $state -Path $p['Path']
            if ($null -eq $file -or $null -eq $file.certificate -or $file.certificate.thumbprint -ne $p['Thumbprint'].ToUpperInvariant())
            {
                throw "The certificate in '$($p['Path'])' is not the pinned certificate $($p['Thumbprint'])."
            }
            $store = $p['StoreName'].ToLowerInvariant()
            if (-not $state.certStores.Contains($store)) { $state.certStores[$store] = @() }
            $state.certStores[$store] = @($state.certStores[$store]) + @($file.certificate)
            $save = $true
        }
        'Get-SrPlatformAuthenticodeSignature'
        {
            $file = Get-SrLabFile -State $state -Path $p['Path']
            if ($null -eq $file) { throw "Cannot find path '$($p['Path'])' because it does not exist." }
            if ($null -eq $file.certificate)
            {
                $output = [pscustomobject]@{ status = 'NotSigned'; signerThumbprint = $null; signerSubject = $null }
            }
            else
            {
                $output = [pscustomobject]@{ status = 'Valid'; signerThumbprint = $file.certificate.thumbprint; signerSubject = $file.certificate.subject }
            }
        }
        'Test-SrPlatformPath'
        {
            $output = ($null -ne (Get-SrLabFile -State $state -Path $p['Path']))
        }
        'Get-SrPlatformFileHash'
        {
            $file = Get-SrLabFile -State $state -Path $p['Path']
            if ($null -eq $file) { throw "Cannot find path '$($p['Path'])' because it does not exist." }
            $output = Get-SrLabContentHash -Content $file.content
        }
        'Invoke-SrPlatformDownload'
        {
            $uri = ([uri]$p['Uri']).OriginalString
            $remote = $null
            if ($state.remote.Contains($uri.ToLowerInvariant())) { $remote = $state.remote[$uri.ToLowerInvariant()] }
            if ($null -eq $remote) { throw "Response status code does not indicate success: 404 (Not Found) for '$uri'." }
            Set-SrLabFile -State $state -Path $p['OutFile'] -Content $remote.content -Certificate $remote.certificate
            $save = $true
        }
        'Import-SrPlatformUpload'
        {
            # The one way in from the real world: a file the runner uploaded
            # through the session, read as UTF-8 text (lab files are text).
            $bytes = [System.IO.File]::ReadAllBytes($p['Path'])
            $content = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetString($bytes)
            if (@($state.faults) -contains 'UploadCorrupted')
            {
                # Simulated: the copy arrives damaged.
                $content = $content + '~'
            }
            Set-SrLabFile -State $state -Path $p['Destination'] -Content $content
            Remove-Item -LiteralPath $p['Path'] -Force
            $save = $true
        }
        'Copy-SrPlatformFile'
        {
            $source = $p['Source']
            $record = $null
            if ($state.remote.Contains($source.ToLowerInvariant())) { $record = $state.remote[$source.ToLowerInvariant()] }
            if ($null -eq $record) { $record = Get-SrLabFile -State $state -Path $source }
            if ($null -eq $record) { throw "Cannot find path '$source' because it does not exist." }
            Set-SrLabFile -State $state -Path $p['Destination'] -Content $record.content -Certificate $record.certificate
            $save = $true
        }
        'Remove-SrPlatformFile'
        {
            $state.files.Remove($p['Path'].ToLowerInvariant())
            $save = $true
        }
        'New-SrPlatformDirectory'
        {
            $state.directories = @(@($state.directories) + @($p['Path']) | Select-Object -Unique)
            $save = $true
        }
        'Get-SrPlatformDirectorySecurity'
        {
            # Folder security: state.folders (lower-case path -> ownerSid,
            # accessRulesProtected, reparsePoint). Folders made by
            # New-SrPlatformDirectory are owned by Administrators and inherit.
            # Fault StagingFolderHijacked: a local user (S-1-5-21-...-1001)
            # made ...\snapready\installers a junction to a folder of theirs.
            $id = $p['Path'].TrimEnd('\', '/').ToLowerInvariant()
            $folders = [ordered]@{}
            if ($state.Contains('folders')) { $folders = $state.folders }
            if (@($state.faults) -contains 'StagingFolderHijacked' -and $id.EndsWith('\snapready\installers'))
            {
                $output = [pscustomobject]@{ path = $p['Path']; isDirectory = $true; isReparsePoint = $true; ownerSid = 'S-1-5-21-3623811015-3361044348-30300820-1001'; accessRulesProtected = $false }
            }
            elseif ($folders.Contains($id))
            {
                $folder = $folders[$id]
                $output = [pscustomobject]@{ path = $p['Path']; isDirectory = $true; isReparsePoint = [bool]$folder.reparsePoint; ownerSid = [string]$folder.ownerSid; accessRulesProtected = [bool]$folder.accessRulesProtected }
            }
            elseif (@(@($state.directories) | Where-Object { ([string]$_).TrimEnd('\', '/').ToLowerInvariant() -eq $id }).Count -gt 0)
            {
                $output = [pscustomobject]@{ path = $p['Path']; isDirectory = $true; isReparsePoint = $false; ownerSid = 'S-1-5-32-544'; accessRulesProtected = $false }
            }
        }
        'Protect-SrPlatformDirectory'
        {
            # A hijacked folder stays what it is (Windows would secure the junction's target).
            $id = $p['Path'].TrimEnd('\', '/').ToLowerInvariant()
            if (-not $state.Contains('folders')) { $state['folders'] = [ordered]@{} }
            if (-not (@($state.faults) -contains 'StagingFolderHijacked' -and $id.EndsWith('\snapready\installers')))
            {
                $state.folders[$id] = [ordered]@{ path = $p['Path']; ownerSid = 'S-1-5-32-544'; accessRulesProtected = $true; reparsePoint = $false }
            }
            $state.directories = @(@($state.directories) + @($p['Path']) | Select-Object -Unique)
            $save = $true
        }
        'Reset-SrPlatformFileSecurity'
        {
            $file = Get-SrLabFile -State $state -Path $p['Path']
            if ($null -eq $file) { throw "Cannot find path '$($p['Path'])' because it does not exist." }
            $file['ownerSid'] = 'S-1-5-32-544'
            $file['acl'] = 'inherited'
            $save = $true
        }
        'Open-SrPlatformFile'
        {
            # Nothing else runs while the lab call does: the handle is a token.
            $file = Get-SrLabFile -State $state -Path $p['Path']
            if ($null -eq $file) { throw "Could not find file '$($p['Path'])'." }
            $output = [pscustomobject]@{ handle = ('lab-file:' + $p['Path']); sha256 = Get-SrLabContentHash -Content $file.content }
        }
        'Close-SrPlatformFile'
        {
        }
        'Get-SrPlatformFileContent'
        {
            $file = Get-SrLabFile -State $state -Path $p['Path']
            if ($null -ne $file) { $output = , [string[]]($file.content -split "`n") }
        }
        'Set-SrPlatformFileContent'
        {
            $existing = Get-SrLabFile -State $state -Path $p['Path']
            $certificate = $null
            if ($null -ne $existing) { $certificate = $existing.certificate }
            Set-SrLabFile -State $state -Path $p['Path'] -Content (@($p['Value']) -join "`n") -Certificate $certificate
            $save = $true
        }
        'Restart-SrPlatformComputer'
        {
            Restart-SrLabGuest -State $state
            $save = $true
        }
        'Get-SrPlatformDiskFreeSpace'
        {
            $output = [long]$state.os.freeBytes
        }
        'Get-SrPlatformVssWriter'
        {
            # Fault VssWriterFailed: the System Writer failed at freeze with VSS_E_WRITERERROR_TIMEOUT.
            $failed = @($state.faults) -contains 'VssWriterFailed'
            $output = @(foreach ($writer in @($(if ($state.Contains('vssWriters')) { $state.vssWriters } else { @() })))
                {
                    $writerState = [int]$writer.state
                    $lastError = [long]$writer.lastError
                    if ($failed -and $writer.writerId -eq '{e8132975-6f93-4464-a53e-1050253ae220}')
                    {
                        $writerState = 9
                        $lastError = [long]0x800423F2L
                    }
                    [pscustomobject]@{ name = $writer.name; writerId = $writer.writerId; instanceId = $writer.instanceId; state = $writerState; lastError = $lastError }
                })
            if ($output.Count -eq 0) { $output = $null }
        }
        'Enter-SrPlatformMutex'
        {
            $mutexPath = '{0}.{1}.mutex' -f [System.IO.Path]::GetFullPath($StatePath), ($p['Name'] -replace '[^A-Za-z0-9-]', '_')
            $deadline = [datetime]::UtcNow.AddMilliseconds([int]$p['TimeoutMilliseconds'])
            while ($null -eq $output)
            {
                try
                {
                    $output = [System.IO.File]::Open($mutexPath, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
                }
                catch
                {
                    $inner = $_.Exception
                    while ($null -ne $inner -and $inner -isnot [System.IO.IOException]) { $inner = $inner.InnerException }
                    if ($null -eq $inner) { throw }
                    if ([datetime]::UtcNow -ge $deadline)
                    {
                        throw (New-Object -TypeName System.TimeoutException -ArgumentList ("The mutex '{0}' was not free within {1} ms." -f $p['Name'], $p['TimeoutMilliseconds']))
                    }
                    Start-Sleep -Milliseconds 25
                }
            }
        }
        'Exit-SrPlatformMutex'
        {
            # Handled before the guest's reachability is checked (see the description).
        }
        default
        {
            throw "The lab does not implement platform operation '$Operation'."
        }
    }

    if ($save -and $readOnly)
    {
        throw "internal: the lab's read-only operation '$Operation' changed the state."
    }
    if ($save)
    {
        Write-SrLabState -Path $StatePath -State $state
    }
    if ($null -ne $output)
    {
        return $output
    }
}
