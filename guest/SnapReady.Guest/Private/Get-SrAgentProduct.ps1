function Get-SrAgentProduct
{
    <#
    .SYNOPSIS
        Finds the installed QEMU guest agent product.

    .DESCRIPTION
        Matches the Uninstall entries of both registry views by the product
        codes related to the agent UpgradeCode
        {EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}, or by DisplayName
        'QEMU guest agent' (the ProductCode changes every build). A 64-bit
        entry is preferred over a WOW6432Node entry. Bitness is 32 when the
        entry is under WOW6432Node on 64-bit Windows, or on 32-bit Windows.

    .PARAMETER Architecture
        OS architecture from Get-SrPlatformOs (x64, x86, arm64).

    .EXAMPLE
        Get-SrAgentProduct -Architecture x64

    .OUTPUTS
        System.Management.Automation.PSCustomObject with installed, version,
        installFolder, bitness, productCode and wow64.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateSet('x64', 'x86', 'arm64')]
        [string]
        $Architecture
    )

    $related = @(Get-SrPlatformRelatedProduct -UpgradeCode $script:SrConst.AgentUpgradeCode | ForEach-Object { ([string]$_).ToUpperInvariant() })
    $matching = @(Get-SrPlatformUninstallEntry | Where-Object {
            ($related -contains ([string]$_.keyName).ToUpperInvariant()) -or ([string]$_.displayName -eq $script:SrConst.AgentDisplayName)
        } | Sort-Object -Property @{ Expression = { [bool]$_.wow6432Node } })

    if ($matching.Count -eq 0)
    {
        return [pscustomobject]@{
            installed     = $false
            version       = $null
            installFolder = $null
            bitness       = $null
            productCode   = $null
            wow64         = $false
        }
    }
    $entry = $matching[0]
    $bitness = 64
    if ($Architecture -eq 'x86' -or [bool]$entry.wow6432Node)
    {
        $bitness = 32
    }
    $installFolder = $null
    if (-not [string]::IsNullOrEmpty([string]$entry.installLocation))
    {
        $installFolder = ([string]$entry.installLocation).TrimEnd('\')
    }
    $productCode = $null
    if ([string]$entry.keyName -match '^\{[0-9A-Fa-f-]{36}\}$')
    {
        $productCode = [string]$entry.keyName
    }
    [pscustomobject]@{
        installed     = $true
        version       = [string]$entry.displayVersion
        installFolder = $installFolder
        bitness       = $bitness
        productCode   = $productCode
        wow64         = ($Architecture -ne 'x86' -and [bool]$entry.wow6432Node)
    }
}
