function Start-SrPlatformService
{
    <#
    .SYNOPSIS
        Starts a Windows service and waits for it (platform layer).

    .DESCRIPTION
        Thin wrapper over Start-Service; a service that cannot start raises a
        terminating error.

    .PARAMETER Name
        Service name.

    .EXAMPLE
        Start-SrPlatformService -Name 'QEMU-GA'

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

    Start-Service -Name ([System.Management.Automation.WildcardPattern]::Escape($Name)) -ErrorAction Stop
}
