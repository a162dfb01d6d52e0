function Get-SrVioSerialState
{
    <#
    .SYNOPSIS
        Reads the VirtIO Serial devices and whether a driver is bound.

    .DESCRIPTION
        Devices with hardware ID PCI\VEN_1AF4&DEV_1003 or
        PCI\VEN_1AF4&DEV_1043. Bound means at least one device has status OK
        and a driver (a driver version or INF name).

    .EXAMPLE
        Get-SrVioSerialState

    .OUTPUTS
        System.Management.Automation.PSCustomObject with present, bound and
        devices (array).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $devices = @(Get-SrPlatformPnpDevice -HardwareId $script:SrConst.VioSerialHardwareIds | ForEach-Object {
            [pscustomobject][ordered]@{
                instanceId     = [string]$_.instanceId
                hardwareId     = [string]$_.hardwareId
                status         = [string]$_.status
                driverVersion  = $_.driverVersion
                driverProvider = $_.driverProvider
                infName        = $_.infName
            }
        })
    $bound = @($devices | Where-Object {
            $_.status -eq 'OK' -and (-not [string]::IsNullOrEmpty([string]$_.driverVersion) -or -not [string]::IsNullOrEmpty([string]$_.infName))
        }).Count -gt 0
    [pscustomobject]@{
        present = ($devices.Count -gt 0)
        bound   = $bound
        devices = $devices
    }
}
