function Restart-SrPlatformService
{
    <#
    .SYNOPSIS
        Restarts a Windows service (platform layer).

    .DESCRIPTION
        Thin wrapper over Restart-Service -Force; a service that cannot start
        again raises a terminating error.

    .PARAMETER Name
        Service name.

    .EXAMPLE
        Restart-SrPlatformService -Name 'QEMU-GA'

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
        $Name
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    Restart-Service -Name ([System.Management.Automation.WildcardPattern]::Escape($Name)) -Force -ErrorAction Stop
}
