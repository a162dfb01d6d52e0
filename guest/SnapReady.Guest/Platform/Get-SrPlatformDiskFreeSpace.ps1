function Get-SrPlatformDiskFreeSpace
{
    <#
    .SYNOPSIS
        Reads the free space of the system drive (platform layer).

    .DESCRIPTION
        Uses System.IO.DriveInfo on %SystemDrive%.

    .EXAMPLE
        Get-SrPlatformDiskFreeSpace

    .OUTPUTS
        System.Int64: free bytes available.
    #>
    [CmdletBinding()]
    [OutputType([long])]
    param ()

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $drive = New-Object -TypeName System.IO.DriveInfo -ArgumentList ([string]$env:SystemDrive)
    [long]$drive.AvailableFreeSpace
}
