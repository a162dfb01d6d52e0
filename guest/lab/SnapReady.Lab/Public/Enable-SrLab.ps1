function Enable-SrLab
{
    <#
    .SYNOPSIS
        Switches the imported SnapReady.Guest module to a lab guest.

    .DESCRIPTION
        Installs a provider script block (bound to this lab module) into
        SnapReady.Guest by an explicit call into that module's scope, the
        only way its platform layer is ever replaced. From then on every
        platform call of SnapReady.Guest reads and writes -StatePath. Use
        Disable-SrLab to restore the Windows implementation.

    .PARAMETER StatePath
        State file created by New-SrLabGuest.

    .EXAMPLE
        Enable-SrLab -StatePath $lab.statePath

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
        $StatePath
    )

    $guestModule = Get-Module -Name 'SnapReady.Guest'
    if ($null -eq $guestModule)
    {
        throw 'Import the SnapReady.Guest module before enabling the lab.'
    }
    $script:LabStatePath = (Resolve-Path -LiteralPath $StatePath).ProviderPath
    $provider = {
        param([string] $Operation, [System.Collections.IDictionary] $Parameters)
        Invoke-SrLabOperation -StatePath $script:LabStatePath -Operation $Operation -Parameters $Parameters
    }
    & $guestModule { param($labProvider) Set-SrPlatformProvider -Provider $labProvider } $provider
}
