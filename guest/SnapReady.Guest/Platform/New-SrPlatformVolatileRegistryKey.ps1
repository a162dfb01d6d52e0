function New-SrPlatformVolatileRegistryKey
{
    <#
    .SYNOPSIS
        Creates a volatile registry key under HKLM (platform layer).

    .DESCRIPTION
        A volatile key (RegistryOptions.Volatile) lives in memory only:
        Windows removes it, with its values, at the next boot, whatever the
        clock says. Its parent must be, and is made, a normal (persistent)
        key first, because RegCreateKeyEx would create missing parents
        volatile too. An existing key is left as it is. Values are written
        with Set-SrPlatformRegistryValue.

    .PARAMETER Path
        The key, HKLM:\...; for example HKLM:\SOFTWARE\snapready\Boot.

    .EXAMPLE
        New-SrPlatformVolatileRegistryKey -Path 'HKLM:\SOFTWARE\snapready\Boot'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^HKLM:\\[^\\].*[^\\]$')]
        [string]
        $Path
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $relative = $Path.Substring('HKLM:\'.Length)
    $parent = Get-SrWindowsParentPath -Path $Path
    if (-not (Test-Path -LiteralPath $parent -PathType Container))
    {
        $null = New-Item -Path $parent -Force
    }
    $base = [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine, [Microsoft.Win32.RegistryView]::Default)
    try
    {
        $key = $base.CreateSubKey($relative, [Microsoft.Win32.RegistryKeyPermissionCheck]::ReadWriteSubTree, [Microsoft.Win32.RegistryOptions]::Volatile)
        if ($null -ne $key)
        {
            $key.Dispose()
        }
    }
    finally
    {
        $base.Dispose()
    }
}
