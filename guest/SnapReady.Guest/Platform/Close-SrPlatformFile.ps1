function Close-SrPlatformFile
{
    <#
    .SYNOPSIS
        Closes a file opened with Open-SrPlatformFile (platform layer).

    .DESCRIPTION
        Disposes the handle, which lets others change the file again. Call
        it in a finally block of the command that opened the file.

    .PARAMETER Handle
        The handle property of what Open-SrPlatformFile returned.

    .EXAMPLE
        Close-SrPlatformFile -Handle $file.handle

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

    $Handle.Dispose()
}
