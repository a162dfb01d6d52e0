function Get-SrPlatformCertificateObject
{
    <#
    .SYNOPSIS
        Loads an X509 certificate from a certificate file or a signed file (Windows only).

    .DESCRIPTION
        Helper of the Windows implementations of Read-SrPlatformCertificate
        and Add-SrPlatformCertificate. For signed files (extensions cat, exe,
        msi, dll, sys, cab) it returns the Authenticode signer certificate, for
        example the signer of vioser.cat; otherwise it loads the file as a
        certificate (.cer/.crt, DER or Base64).

    .PARAMETER Path
        File path.

    .EXAMPLE
        Get-SrPlatformCertificateObject -Path 'D:\vioserial\2k19\amd64\vioser.cat'

    .OUTPUTS
        System.Security.Cryptography.X509Certificates.X509Certificate2, or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.Security.Cryptography.X509Certificates.X509Certificate2])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path
    )

    Assert-SrPlatformWindows

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf))
    {
        return $null
    }
    $extension = [System.IO.Path]::GetExtension($Path).ToLowerInvariant()
    if (@('.cat', '.exe', '.msi', '.dll', '.sys', '.cab') -contains $extension)
    {
        return (Get-AuthenticodeSignature -LiteralPath $Path).SignerCertificate
    }
    return New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $Path
}
