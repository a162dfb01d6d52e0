function Exit-SrPlatformMutex
{
    <#
    .SYNOPSIS
        Leaves a critical section entered with Enter-SrPlatformMutex (platform layer).

    .DESCRIPTION
        Releases and closes the mutex behind -Handle. Call it in the same
        command that entered it, in a finally block.

    .PARAMETER Handle
        What Enter-SrPlatformMutex returned.

    .EXAMPLE
        Exit-SrPlatformMutex -Handle $handle

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [object]
        $Handle
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    try
    {
        $Handle.ReleaseMutex()
    }
    finally
    {
        $Handle.Dispose()
    }
}
