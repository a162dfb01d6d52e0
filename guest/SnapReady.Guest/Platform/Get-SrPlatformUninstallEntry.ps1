function Get-SrPlatformUninstallEntry
{
    <#
    .SYNOPSIS
        Lists the installed-programs (Uninstall) entries of both registry views (platform layer).

    .DESCRIPTION
        Reads HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall in the
        64-bit view and, on 64-bit Windows, the 32-bit view (WOW6432Node),
        independently of the bitness of the current process.

    .EXAMPLE
        Get-SrPlatformUninstallEntry | Where-Object displayName -eq 'QEMU guest agent'

    .OUTPUTS
        System.Management.Automation.PSCustomObject per entry with keyName,
        displayName, displayVersion, installLocation and wow6432Node (bool).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $is64 = [System.Environment]::Is64BitOperatingSystem
    $views = @([Microsoft.Win32.RegistryView]::Default)
    if ($is64)
    {
        $views = @([Microsoft.Win32.RegistryView]::Registry64, [Microsoft.Win32.RegistryView]::Registry32)
    }
    foreach ($view in $views)
    {
        $base = [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine, $view)
        $uninstall = $base.OpenSubKey('SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall')
        if ($null -eq $uninstall)
        {
            continue
        }
        foreach ($keyName in $uninstall.GetSubKeyNames())
        {
            $entry = $uninstall.OpenSubKey($keyName)
            if ($null -eq $entry)
            {
                continue
            }
            [pscustomobject]@{
                keyName         = $keyName
                displayName     = [string]$entry.GetValue('DisplayName', '')
                displayVersion  = [string]$entry.GetValue('DisplayVersion', '')
                installLocation = [string]$entry.GetValue('InstallLocation', '')
                wow6432Node     = ($is64 -and $view -eq [Microsoft.Win32.RegistryView]::Registry32)
            }
            $entry.Close()
        }
        $uninstall.Close()
    }
}
