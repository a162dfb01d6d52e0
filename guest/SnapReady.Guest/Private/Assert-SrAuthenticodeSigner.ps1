function Assert-SrAuthenticodeSigner
{
    <#
    .SYNOPSIS
        Fails unless a file carries a valid Authenticode signature by the pinned signer.

    .DESCRIPTION
        Reads the signature through the platform layer; the status must be
        Valid and the signer thumbprint must equal -Thumbprint.

    .PARAMETER Path
        File path.

    .PARAMETER Thumbprint
        Expected signer thumbprint.

    .EXAMPLE
        Assert-SrAuthenticodeSigner -Path 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi' -Thumbprint 'A1B2...'

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
        [ValidatePattern('^[0-9A-Fa-f]{40}$')]
        [string]
        $Thumbprint
    )

    $signature = Get-SrPlatformAuthenticodeSignature -Path $Path
    $expected = $Thumbprint.ToUpperInvariant()
    $actual = $null
    if ($null -ne $signature.signerThumbprint)
    {
        $actual = ([string]$signature.signerThumbprint).ToUpperInvariant()
    }
    if ([string]$signature.status -ne 'Valid' -or $actual -ne $expected)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrSignerMismatch' -Category SecurityError -Message (
                    "Authenticode check failed for '{0}': status {1}, signer {2}, expected signer {3}." -f $Path, $signature.status, $actual, $expected)))
    }
}
