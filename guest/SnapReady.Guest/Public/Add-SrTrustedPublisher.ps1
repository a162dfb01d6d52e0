function Add-SrTrustedPublisher
{
    <#
    .SYNOPSIS
        Trusts a pinned driver publisher certificate (Cert:\LocalMachine\TrustedPublisher).

    .DESCRIPTION
        Silent driver installation stops at "Windows can't verify the
        publisher" unless the signer is trusted first. This adds the
        certificate in -CertificatePath (a .cer file, or a signed file such as
        vioser.cat whose Authenticode signer is taken) to the LocalMachine
        TrustedPublisher store, after checking that its thumbprint is the
        pinned -Thumbprint and that it has not expired. No-op when a
        certificate with that thumbprint is already trusted.

    .PARAMETER Thumbprint
        Pinned SHA-1 thumbprint (40 hex digits).

    .PARAMETER CertificatePath
        Certificate file or signed file (local path).

    .EXAMPLE
        Add-SrTrustedPublisher -Thumbprint 'A1B2C3D4E5F60718293A4B5C6D7E8F9011223344' -CertificatePath 'D:\vioserial\2k19\amd64\vioser.cat'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, thumbprint and notAfter.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[0-9A-Fa-f]{40}$')]
        [string]
        $Thumbprint,

        [Parameter(Mandatory = $true)]
        [ValidatePattern('^([A-Za-z]:\\|\\\\[^\\]+\\[^\\]+\\)')]
        [string]
        $CertificatePath
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $pinned = $Thumbprint.ToUpperInvariant()
    $trusted = Get-SrPlatformCertificate -StoreName TrustedPublisher -Thumbprint $pinned
    if ($null -ne $trusted)
    {
        $detail = 'Certificate {0} is already in LocalMachine\TrustedPublisher.' -f $pinned
        if ((ConvertFrom-SrIsoDate -Value ([string]$trusted.notAfter)) -lt [datetime]::UtcNow)
        {
            $detail += ' Warning: it expired on {0}.' -f $trusted.notAfter
            Write-Warning -Message $detail
        }
        return New-SrResult -Changed $false -Detail $detail -Property @{ thumbprint = $pinned; notAfter = [string]$trusted.notAfter }
    }

    $certificate = Read-SrPlatformCertificate -Path $CertificatePath
    if ($null -eq $certificate)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrCertificateNotFound' -Category ObjectNotFound -Message (
                    "No certificate or Authenticode signer could be read from '{0}'." -f $CertificatePath)))
    }
    $actual = ([string]$certificate.thumbprint).ToUpperInvariant()
    if ($actual -ne $pinned)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrCertificateThumbprintMismatch' -Category SecurityError -Message (
                    "The certificate in '{0}' has thumbprint {1}, not the pinned thumbprint {2}; refusing to trust it." -f $CertificatePath, $actual, $pinned)))
    }
    $notAfter = ConvertFrom-SrIsoDate -Value ([string]$certificate.notAfter)
    if ($notAfter -lt [datetime]::UtcNow)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrCertificateExpired' -Category SecurityError -Message (
                    "The certificate {0} ({1}) expired on {2}; refusing to trust it. Use driver media signed with a current certificate." -f $pinned, $certificate.subject, $notAfter.ToString('o'))))
    }

    Add-SrPlatformCertificate -Path $CertificatePath -StoreName TrustedPublisher -Thumbprint $pinned
    New-SrResult -Changed $true -Detail ('Certificate {0} ({1}) added to LocalMachine\TrustedPublisher.' -f $pinned, $certificate.subject) -Property @{ thumbprint = $pinned; notAfter = $notAfter.ToString('o') }
}
