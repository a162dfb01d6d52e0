function Restart-SrPlatformComputer
{
    <#
    .SYNOPSIS
        Restarts the computer (platform layer).

    .DESCRIPTION
        Thin wrapper over Restart-Computer -Force. Returns immediately; the
        remote runner observes the reboot.

    .EXAMPLE
        Restart-SrPlatformComputer

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param ()

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    Restart-Computer -Force
}
