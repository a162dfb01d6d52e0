function Get-SrLabOsProfile
{
    <#
    .SYNOPSIS
        Describes one supported Windows version as a lab guest models it.

    .DESCRIPTION
        What differs between the supported Windows versions, from
        guest-facts.md and the README's "Supported Windows versions":
        version and build (2012r2 6.3.9600, 2016 10.0.14393, 2019
        10.0.17763, 2022 10.0.20348, 2025 10.0.26100, win10 10.0.19045,
        win11 10.0.22631), server or client edition, whether Get-PnpDevice
        exists (from build 14393; the guest module reads Win32_PnPEntity
        anyway), whether pnputil knows /add-driver (from build 14393, else
        only the legacy -i -a), the default execution policy (Restricted on
        client editions, RemoteSigned on servers) and the virtio-win media
        folder of the vioserial driver for that version.

    .PARAMETER Os
        2012r2, 2016, 2019, 2022, 2025, win10 or win11.

    .EXAMPLE
        Get-SrLabOsProfile -Os win11

    .OUTPUTS
        System.Collections.Specialized.OrderedDictionary with key, caption,
        version, build, edition, executionPolicy, hasGetPnpDevice,
        pnputilAddDriver and driverFolder.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateSet('2012r2', '2016', '2019', '2022', '2025', 'win10', 'win11')]
        [string]
        $Os
    )

    $table = @{
        '2012r2' = @('Windows Server 2012 R2 Datacenter (lab)', '6.3.9600', 'server', '2k12R2')
        '2016'   = @('Windows Server 2016 Datacenter (lab)', '10.0.14393', 'server', '2k16')
        '2019'   = @('Windows Server 2019 Datacenter (lab)', '10.0.17763', 'server', '2k19')
        '2022'   = @('Windows Server 2022 Datacenter (lab)', '10.0.20348', 'server', '2k22')
        '2025'   = @('Windows Server 2025 Datacenter (lab)', '10.0.26100', 'server', '2k25')
        'win10'  = @('Windows 10 Enterprise 22H2 (lab)', '10.0.19045', 'client', 'w10')
        'win11'  = @('Windows 11 Enterprise 23H2 (lab)', '10.0.22631', 'client', 'w11')
    }
    $row = $table[$Os]
    $build = [int]$row[1].Split('.')[2]
    $policy = 'RemoteSigned'
    if ($row[2] -eq 'client')
    {
        $policy = 'Restricted'
    }
    [ordered]@{
        key              = $Os
        caption          = $row[0]
        version          = $row[1]
        build            = $build
        edition          = $row[2]
        executionPolicy  = $policy
        hasGetPnpDevice  = ($build -ge 14393)
        pnputilAddDriver = ($build -ge 14393)
        driverFolder     = $row[3]
    }
}
