function Set-SrPlatformServiceStartType
{
    <#
    .SYNOPSIS
        Sets the start type of a Windows service (platform layer).

    .DESCRIPTION
        Thin wrapper over Set-Service -StartupType.

    .PARAMETER Name
        Service name.

    .PARAMETER StartType
        Automatic, Manual or Disabled.

    .EXAMPLE
        Set-SrPlatformServiceStartType -Name 'QEMU-GA' -StartType Automatic

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Automatic', 'Manual', 'Disabled')]
        [string]
        $StartType
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    Set-Service -Name ([System.Management.Automation.WildcardPattern]::Escape($Name)) -StartupType $StartType
}
