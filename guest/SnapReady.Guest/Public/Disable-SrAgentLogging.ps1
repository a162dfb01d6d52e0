function Disable-SrAgentLogging
{
    <#
    .SYNOPSIS
        Turns off agent file logging and verbose logging (service command line and conf file).

    .DESCRIPTION
        The vendor manual warns that a log file written while a snapshot is
        taken can make VSS time out. This removes -l/--logfile <file> and
        -v/--verbose from the QEMU-GA ImagePath (keeping the quoted exe path,
        -d, --retry-path and every other option as they were), removes
        logfile= and verbose=true from the [general] group of the conf file,
        and restarts the agent service only if something changed and it was
        running. No-op when logging is already off.

    .PARAMETER ConfPath
        Path of qemu-ga.conf (its location on Windows builds is unverified).
        A -c/--config option in the service command line wins: the agent
        reads that file.

    .EXAMPLE
        Disable-SrAgentLogging

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, imagePathChanged, confChanged and restarted.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [ValidatePattern('^[A-Za-z]:\\.+')]
        [string]
        $ConfPath = 'C:\Program Files\Qemu-ga\qemu-ga.conf'
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $imagePathChanged = $false
    $confChanged = $false
    $config = $null
    $service = Get-SrAgentService
    if ($service.exists -and -not [string]::IsNullOrEmpty($service.imagePath))
    {
        $parsed = ConvertFrom-SrAgentImagePath -ImagePath $service.imagePath
        $config = $parsed.config
        if ($parsed.loggingEnabled)
        {
            Write-Verbose -Message ("Rewriting ImagePath '{0}' as '{1}'." -f $service.imagePath, $parsed.cleanedImagePath)
            Set-SrPlatformRegistryValue -Path $service.registryPath -Name 'ImagePath' -Value $parsed.cleanedImagePath -Type ExpandString
            $imagePathChanged = $true
        }
    }

    # The agent reads the file named by -c/--config in its command line, if any.
    $effectiveConfPath = Resolve-SrAgentConfPath -ConfPath $ConfPath -Config $config
    $lines = Get-SrPlatformFileContent -Path $effectiveConfPath
    if ($null -ne $lines)
    {
        $conf = ConvertFrom-SrAgentConf -Line @($lines)
        if ($conf.changed)
        {
            Write-Verbose -Message ("Removing logfile/verbose settings from '{0}'." -f $effectiveConfPath)
            Set-SrPlatformFileContent -Path $effectiveConfPath -Value $conf.cleanedLines
            $confChanged = $true
        }
    }

    $restarted = $false
    if (($imagePathChanged -or $confChanged) -and $service.exists -and $service.status -eq 'Running')
    {
        Restart-SrPlatformService -Name $service.name
        $restarted = $true
    }

    $properties = @{ imagePathChanged = $imagePathChanged; confChanged = $confChanged; restarted = $restarted }
    if (-not ($imagePathChanged -or $confChanged))
    {
        return New-SrResult -Changed $false -Detail 'Agent file logging and verbose logging are already off.' -Property $properties
    }
    $parts = @()
    if ($imagePathChanged) { $parts += 'service command line' }
    if ($confChanged) { $parts += ("conf file '{0}'" -f $effectiveConfPath) }
    $detail = 'Logging removed from {0}.' -f ($parts -join ' and ')
    if ($restarted) { $detail += (" Service '{0}' restarted." -f $service.name) }
    New-SrResult -Changed $true -Detail $detail -Property $properties
}
