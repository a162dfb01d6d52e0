function Get-SrPlatformPnpDevice
{
    <#
    .SYNOPSIS
        Lists present PnP devices matching hardware IDs, with their driver (platform layer).

    .DESCRIPTION
        Uses Get-PnpDevice -PresentOnly and Win32_PnPSignedDriver. A device
        matches when one of its hardware IDs starts with one of -HardwareId
        (case-insensitive), so PCI\VEN_1AF4&DEV_1003 matches
        PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00. Filtering happens here
        in PowerShell, never in a WQL string.

    .PARAMETER HardwareId
        Hardware ID prefixes.

    .EXAMPLE
        Get-SrPlatformPnpDevice -HardwareId 'PCI\VEN_1AF4&DEV_1003', 'PCI\VEN_1AF4&DEV_1043'

    .OUTPUTS
        System.Management.Automation.PSCustomObject per device with instanceId,
        hardwareId, status, driverVersion, driverProvider and infName.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $HardwareId
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $signedDrivers = @(Get-CimInstance -ClassName Win32_PnPSignedDriver -ErrorAction SilentlyContinue)
    foreach ($device in @(Get-PnpDevice -PresentOnly -ErrorAction SilentlyContinue))
    {
        $matchedId = $null
        foreach ($deviceHardwareId in @($device.HardwareID))
        {
            foreach ($prefix in $HardwareId)
            {
                if ($null -eq $matchedId -and $null -ne $deviceHardwareId -and
                    ([string]$deviceHardwareId).StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase))
                {
                    $matchedId = $prefix
                }
            }
        }
        if ($null -eq $matchedId)
        {
            continue
        }
        $driver = $signedDrivers | Where-Object { $_.DeviceID -eq $device.InstanceId } | Select-Object -First 1
        $driverVersion = $null
        $driverProvider = $null
        $infName = $null
        if ($null -ne $driver)
        {
            $driverVersion = $driver.DriverVersion
            $driverProvider = $driver.DriverProviderName
            $infName = $driver.InfName
        }
        [pscustomobject]@{
            instanceId     = [string]$device.InstanceId
            hardwareId     = $matchedId
            status         = [string]$device.Status
            driverVersion  = $driverVersion
            driverProvider = $driverProvider
            infName        = $infName
        }
    }
}
