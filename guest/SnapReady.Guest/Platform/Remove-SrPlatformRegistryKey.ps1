function Remove-SrPlatformRegistryKey
{
    <#
    .SYNOPSIS
        Deletes a registry key with its subkeys (platform layer).

    .DESCRIPTION
        Removes -Path recursively when it exists; a missing key is not an
        error. Used to clear what is left of a stale VSS provider
        registration (the CLSID key and the key under
        HKLM\SYSTEM\CurrentControlSet\Services\VSS\Providers).

    .PARAMETER Path
        The key, for example HKLM:\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-ee09-4e0e-9a5c-6d8ba2872aef}.

    .EXAMPLE
        Remove-SrPlatformRegistryKey -Path 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^HKLM:\\[^\\].*[^\\]$')]
        [string]
        $Path
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    if (Test-Path -LiteralPath $Path -PathType Container)
    {
        Remove-Item -LiteralPath $Path -Recurse -Force
    }
}
