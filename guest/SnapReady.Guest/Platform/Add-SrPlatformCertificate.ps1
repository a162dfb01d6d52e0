function Add-SrPlatformCertificate
{
    <#
    .SYNOPSIS
        Adds the certificate of a file to a LocalMachine store (platform layer).

    .DESCRIPTION
        Loads the certificate (or the Authenticode signer of a signed file),
        checks again that its thumbprint is the pinned one, and adds it to
        Cert:\LocalMachine\<StoreName>.

    .PARAMETER Path
        Certificate file or signed file.

    .PARAMETER StoreName
        Store name: TrustedPublisher or Root.

    .PARAMETER Thumbprint
        The pinned thumbprint the certificate must have.

    .EXAMPLE
        Add-SrPlatformCertificate -Path 'D:\cert\redhat.cer' -StoreName TrustedPublisher -Thumbprint 'A1B2...'

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
        $Path,

        [Parameter(Mandatory = $true)]
        [ValidateSet('TrustedPublisher', 'Root')]
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

    $certificate = Get-SrPlatformCertificateObject -Path $Path
    if ($null -eq $certificate -or $certificate.Thumbprint -ne $Thumbprint.ToUpperInvariant())
    {
        throw ("The certificate in '{0}' is not the pinned certificate {1}." -f $Path, $Thumbprint)
    }
    $store = New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Store -ArgumentList $StoreName, 'LocalMachine'
    $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]::ReadWrite)
    try
    {
        $store.Add($certificate)
    }
    finally
    {
        $store.Close()
    }
}
