function Get-SrPlatformRelatedProduct
{
    <#
    .SYNOPSIS
        Lists the installed Windows Installer products of an UpgradeCode (platform layer).

    .DESCRIPTION
        Uses the Windows Installer automation object (RelatedProducts, i.e.
        MsiEnumRelatedProducts). The Uninstall registry entries do not carry
        the UpgradeCode, so this is how a product is matched by UpgradeCode.
        Does not use Win32_Product (which triggers a consistency check of
        every MSI). The automation object is reached through late-bound COM
        (InvokeMember), which is untested under PowerShell 7 over SSH; the
        registry data Windows Installer keeps for per-machine products is
        read as well: the value names of
        HKLM\SOFTWARE\Classes\Installer\UpgradeCodes\<packed UpgradeCode>
        are the packed ProductCodes (ConvertTo-SrPackedGuid). The answer is
        the union of both, each ProductCode once (upper case); when COM fails,
        the registry alone answers.

    .PARAMETER UpgradeCode
        UpgradeCode GUID in braces.

    .EXAMPLE
        Get-SrPlatformRelatedProduct -UpgradeCode '{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}'

    .OUTPUTS
        System.String product codes.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^\{[0-9A-Fa-f-]{36}\}$')]
        [string]
        $UpgradeCode
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $found = New-Object -TypeName System.Collections.Generic.List[string]
    try
    {
        $installer = New-SrPlatformComObject -ProgId 'WindowsInstaller.Installer'
        $products = $installer.GetType().InvokeMember('RelatedProducts', [System.Reflection.BindingFlags]::GetProperty, $null, $installer, @($UpgradeCode))
        foreach ($productCode in $products)
        {
            $code = ([string]$productCode).ToUpperInvariant()
            if (-not $found.Contains($code)) { $found.Add($code) }
        }
    }
    catch
    {
        Write-Verbose -Message ('WindowsInstaller.Installer RelatedProducts failed, reading the registry instead: {0}' -f $_.Exception.Message)
    }

    $key = 'HKLM:\SOFTWARE\Classes\Installer\UpgradeCodes\{0}' -f (ConvertTo-SrPackedGuid -Guid $UpgradeCode)
    $item = Get-Item -LiteralPath $key -ErrorAction SilentlyContinue
    if ($null -ne $item)
    {
        foreach ($valueName in @($item.GetValueNames()))
        {
            if ($valueName -match '^[0-9A-Fa-f]{32}$')
            {
                $code = ConvertTo-SrPackedGuid -Guid $valueName -Unpack
                if (-not $found.Contains($code)) { $found.Add($code) }
            }
        }
    }
    foreach ($code in $found)
    {
        $code
    }
}
