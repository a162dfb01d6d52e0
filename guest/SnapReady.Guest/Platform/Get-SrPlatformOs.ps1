function Get-SrPlatformOs
{
    <#
    .SYNOPSIS
        Reads the operating system identity (platform layer).

    .DESCRIPTION
        Returns the OS version, build number, native architecture (not the
        architecture of the current process, so a 32-bit PowerShell on 64-bit
        Windows still reports x64), the last boot time and the system folders.

    .EXAMPLE
        Get-SrPlatformOs

    .OUTPUTS
        System.Management.Automation.PSCustomObject with version, build,
        architecture (x64|x86|arm64), lastBootUpTime (ISO 8601 UTC),
        systemDirectory and systemDrive.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $nativeArchitecture = $env:PROCESSOR_ARCHITEW6432
    if ([string]::IsNullOrEmpty($nativeArchitecture))
    {
        $nativeArchitecture = $env:PROCESSOR_ARCHITECTURE
    }
    $architecture = switch ($nativeArchitecture)
    {
        'AMD64' { 'x64' }
        'ARM64' { 'arm64' }
        default { 'x86' }
    }

    [pscustomobject]@{
        version         = [string]$os.Version
        build           = [int]$os.BuildNumber
        architecture    = $architecture
        lastBootUpTime  = ([datetime]$os.LastBootUpTime).ToUniversalTime().ToString('o')
        systemDirectory = [System.Environment]::SystemDirectory
        systemDrive     = [string]$env:SystemDrive
    }
}
