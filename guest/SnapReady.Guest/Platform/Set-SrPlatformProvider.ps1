function Set-SrPlatformProvider
{
    <#
    .SYNOPSIS
        Replaces (or restores) the implementation behind the private platform layer.

    .DESCRIPTION
        Internal hook, not exported. With -Provider, every Platform/*-SrPlatform*
        function forwards its call to the given script block as
        & $Provider <FunctionName> <BoundParameters>. With -Windows, the default
        Windows implementation is restored. Only the lab module calls this, by
        an explicit call into this module's scope; production code never does,
        and no environment variable or file selects a provider.

    .PARAMETER Provider
        Script block taking (string OperationName, IDictionary Parameters).

    .PARAMETER Windows
        Restore the Windows implementation (the default).

    .EXAMPLE
        & (Get-Module SnapReady.Guest) { param($p) Set-SrPlatformProvider -Provider $p } $labProvider

    .OUTPUTS
        None.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Windows')]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true, ParameterSetName = 'Provider')]
        [ValidateNotNull()]
        [scriptblock]
        $Provider,

        [Parameter(ParameterSetName = 'Windows')]
        [switch]
        $Windows
    )

    if ($PSCmdlet.ParameterSetName -eq 'Provider')
    {
        $script:SrPlatformProvider = $Provider
    }
    else
    {
        $script:SrPlatformProvider = $null
    }
}
