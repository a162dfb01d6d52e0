function Disable-SrLab
{
    <#
    .SYNOPSIS
        Restores the Windows implementation of SnapReady.Guest's platform layer.

    .DESCRIPTION
        Reverses Enable-SrLab.

    .EXAMPLE
        Disable-SrLab

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param ()

    $guestModule = Get-Module -Name 'SnapReady.Guest'
    if ($null -ne $guestModule)
    {
        & $guestModule { Set-SrPlatformProvider -Windows }
    }
    $script:LabStatePath = $null
}
