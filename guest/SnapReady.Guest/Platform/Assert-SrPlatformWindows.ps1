function Assert-SrPlatformWindows
{
    <#
    .SYNOPSIS
        Fails unless the Windows implementation of the platform layer can run.

    .DESCRIPTION
        Called by every Windows implementation in the private platform layer
        when no replacement provider is installed. On a non-Windows host (for
        example the Linux CI that runs the Pester suite) this throws a clear
        PlatformNotSupported error instead of failing on a missing cmdlet.

    .EXAMPLE
        Assert-SrPlatformWindows

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param ()

    if ([System.Environment]::OSVersion.Platform -ne [System.PlatformID]::Win32NT)
    {
        $exception = New-Object -TypeName System.PlatformNotSupportedException -ArgumentList (
            'The SnapReady.Guest platform layer needs Windows; this host is {0}. Tests mock the platform functions or enable the lab (SnapReady.Lab).' -f [System.Environment]::OSVersion.Platform)
        throw $exception
    }
}
