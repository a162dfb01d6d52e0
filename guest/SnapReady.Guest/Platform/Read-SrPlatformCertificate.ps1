function Read-SrPlatformCertificate
{
    <#
    .SYNOPSIS
        Reads the certificate in a file, or the signer of a signed file (platform layer).

    .DESCRIPTION
        For a .cer/.crt file, the certificate; for a signed file such as
        vioser.cat, its Authenticode signer. Returns $null when the file does
        not exist or carries no signer.

    .PARAMETER Path
        File path.

    .EXAMPLE
        Read-SrPlatformCertificate -Path 'D:\vioserial\2k19\amd64\vioser.cat'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with thumbprint, subject,
        notAfter and notBefore (ISO 8601 UTC), or $null.
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

    $certificate = Get-SrPlatformCertificateObject -Path $Path
    if ($null -eq $certificate)
    {
        return $null
    }
    [pscustomobject]@{
        thumbprint = [string]$certificate.Thumbprint
        subject    = [string]$certificate.Subject
        notAfter   = $certificate.NotAfter.ToUniversalTime().ToString('o')
        notBefore  = $certificate.NotBefore.ToUniversalTime().ToString('o')
    }
}
