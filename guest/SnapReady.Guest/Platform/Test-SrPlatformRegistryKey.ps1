function Test-SrPlatformRegistryKey
{
    <#
    .SYNOPSIS
        Tells whether a registry key exists (platform layer).

    .DESCRIPTION
        Paths use the PowerShell provider form, for example
        HKLM:\SOFTWARE\snapready. The path is literal (no wildcards).

    .PARAMETER Path
        Registry key path.

    .EXAMPLE
        Test-SrPlatformRegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'

    .OUTPUTS
        System.Boolean.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    [bool](Test-Path -LiteralPath $Path -PathType Container)
}
