function Get-SrPlatformPnpDevice
{
    <#
    .SYNOPSIS
        Lists present PnP devices matching hardware IDs, with their driver (platform layer).

    .DESCRIPTION
        Reads Win32_PnPEntity and Win32_PnPSignedDriver through CIM, which
        every supported Windows has (Get-PnpDevice does not exist on Windows
        Server 2012 R2 / 8.1). A device matches when one of its hardware IDs
        starts with one of -HardwareId (case-insensitive), so
        PCI\VEN_1AF4&DEV_1003 matches
        PCI\VEN_1AF4&DEV_1003&SUBSYS_00031AF4&REV_00. Filtering happens here
        in PowerShell, never in a WQL string. Devices that are not present
        (Present = false where the property exists, or ConfigManagerErrorCode
        45, CM_PROB_PHANTOM) are skipped. The status comes from
        ConfigManagerErrorCode, a number and so independent of the display
        language: 0 is 'OK' (the device works), anything else is
        'Error (code N)', for example 28 when no driver is installed.

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
    foreach ($device in @(Get-CimInstance -ClassName Win32_PnPEntity -ErrorAction Stop))
    {
        $presentProperty = $device.PSObject.Properties['Present']
        if (($null -ne $presentProperty -and $false -eq $presentProperty.Value) -or [int]$device.ConfigManagerErrorCode -eq 45)
        {
            continue
        }
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
        $problem = [int]$device.ConfigManagerErrorCode
        $status = 'OK'
        if ($problem -ne 0)
        {
            $status = 'Error (code {0})' -f $problem
        }
        $driver = $signedDrivers | Where-Object { [string]$_.DeviceID -eq [string]$device.DeviceID } | Select-Object -First 1
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
            instanceId     = [string]$device.DeviceID
            hardwareId     = $matchedId
            status         = $status
            driverVersion  = $driverVersion
            driverProvider = $driverProvider
            infName        = $infName
        }
    }
}
