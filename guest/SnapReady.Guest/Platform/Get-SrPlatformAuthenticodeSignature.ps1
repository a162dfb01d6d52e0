function Get-SrPlatformAuthenticodeSignature
{
    <#
    .SYNOPSIS
        Reads the Authenticode signature of a file (platform layer).

    .DESCRIPTION
        Thin wrapper over Get-AuthenticodeSignature -LiteralPath.

    .PARAMETER Path
        File path.

    .EXAMPLE
        Get-SrPlatformAuthenticodeSignature -Path 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with status (Valid,
        NotSigned, HashMismatch, ...), signerThumbprint and signerSubject.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
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

    $signature = Get-AuthenticodeSignature -LiteralPath $Path
    $signerThumbprint = $null
    $signerSubject = $null
    if ($null -ne $signature.SignerCertificate)
    {
        $signerThumbprint = [string]$signature.SignerCertificate.Thumbprint
        $signerSubject = [string]$signature.SignerCertificate.Subject
    }
    [pscustomobject]@{
        status           = [string]$signature.Status
        signerThumbprint = $signerThumbprint
        signerSubject    = $signerSubject
    }
}
