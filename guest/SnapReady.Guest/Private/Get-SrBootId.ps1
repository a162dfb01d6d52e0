function Get-SrBootId
{
    <#
    .SYNOPSIS
        Returns an identifier of the current boot, kept in a volatile registry key.

    .DESCRIPTION
        Reads BootId under HKLM\SOFTWARE\snapready\Boot, a volatile key that
        Windows removes at every boot. When it is missing (the first call of
        a boot), the key is created volatile and a new GUID is written. Two
        facts documents therefore carry the same bootId exactly when no
        reboot happened in between: no comparison of boot time strings
        (LastBootUpTime can be reported differently, or change with a clock
        correction) is needed. This is the facts' only write, and it does not
        survive the boot.

    .EXAMPLE
        Get-SrBootId

    .OUTPUTS
        System.String (a GUID, lower case, without braces).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param ()

    $key = $script:SrConst.BootKey
    $bootId = Get-SrPlatformRegistryValue -Path $key -Name 'BootId'
    if (-not [string]::IsNullOrEmpty([string]$bootId))
    {
        return [string]$bootId
    }
    New-SrPlatformVolatileRegistryKey -Path $key
    $bootId = [guid]::NewGuid().ToString()
    Set-SrPlatformRegistryValue -Path $key -Name 'BootId' -Value $bootId -Type String
    $bootId
}
