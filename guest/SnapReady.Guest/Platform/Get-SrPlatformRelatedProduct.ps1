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
        every MSI).

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

    $installer = New-Object -ComObject WindowsInstaller.Installer
    $products = $installer.GetType().InvokeMember('RelatedProducts', [System.Reflection.BindingFlags]::GetProperty, $null, $installer, @($UpgradeCode))
    foreach ($productCode in $products)
    {
        [string]$productCode
    }
}
