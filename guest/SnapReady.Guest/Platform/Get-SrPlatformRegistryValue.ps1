function Get-SrPlatformRegistryValue
{
    <#
    .SYNOPSIS
        Reads one registry value (platform layer).

    .DESCRIPTION
        Returns the raw value (REG_EXPAND_SZ values are not expanded), or $null
        when the key or the value does not exist. The name '(default)' reads
        the key's default value.

    .PARAMETER Path
        Registry key path in provider form, for example HKLM:\SOFTWARE\snapready.

    .PARAMETER Name
        Value name, or '(default)'.

    .EXAMPLE
        Get-SrPlatformRegistryValue -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\QEMU-GA' -Name 'ImagePath'

    .OUTPUTS
        System.Object (string, int, string[]) or $null.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Name
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    if (-not (Test-Path -LiteralPath $Path -PathType Container))
    {
        return $null
    }
    $key = Get-Item -LiteralPath $Path
    $valueName = $Name
    if ($Name -eq '(default)')
    {
        $valueName = ''
    }
    $value = $key.GetValue($valueName, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    return , $value
}
