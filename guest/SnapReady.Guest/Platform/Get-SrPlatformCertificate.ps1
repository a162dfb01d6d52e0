function Get-SrPlatformCertificate
{
    <#
    .SYNOPSIS
        Reads a certificate from a LocalMachine certificate store by thumbprint (platform layer).

    .DESCRIPTION
        Looks in Cert:\LocalMachine\<StoreName> for the exact thumbprint and
        returns a plain record, or $null when it is not there.

    .PARAMETER StoreName
        Store name: TrustedPublisher, Root or My.

    .PARAMETER Thumbprint
        SHA-1 thumbprint (40 hex digits).

    .EXAMPLE
        Get-SrPlatformCertificate -StoreName TrustedPublisher -Thumbprint 'A1B2...'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with thumbprint, subject,
        notAfter and notBefore (ISO 8601 UTC), or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateSet('TrustedPublisher', 'Root', 'My')]
        [string]
        $StoreName,

        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[0-9A-Fa-f]{40}$')]
        [string]
        $Thumbprint
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $certificatePath = 'Cert:\LocalMachine\{0}\{1}' -f $StoreName, $Thumbprint.ToUpperInvariant()
    if (-not (Test-Path -LiteralPath $certificatePath))
    {
        return $null
    }
    $certificate = Get-Item -LiteralPath $certificatePath
    [pscustomobject]@{
        thumbprint = [string]$certificate.Thumbprint
        subject    = [string]$certificate.Subject
        notAfter   = $certificate.NotAfter.ToUniversalTime().ToString('o')
        notBefore  = $certificate.NotBefore.ToUniversalTime().ToString('o')
    }
}
