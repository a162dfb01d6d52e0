function Set-SrLabFile
{
    <#
    .SYNOPSIS
        Creates or replaces a file in the lab file system.

    .DESCRIPTION
        Paths are case-insensitive. A file may carry a certificate record:
        for a .cer file the certificate itself, for a signed file (a catalog,
        an MSI or an exe) its Authenticode signer.

    .PARAMETER State
        The lab state.

    .PARAMETER Path
        Windows file path.

    .PARAMETER Content
        Text content.

    .PARAMETER Certificate
        Optional certificate record (thumbprint, subject, notAfter, notBefore).

    .EXAMPLE
        Set-SrLabFile -State $state -Path 'C:\Program Files\Qemu-ga\qemu-ga.exe' -Content 'LAB-BIN|qemu-ga.exe|108.0.2'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $Content,

        [Parameter()]
        [AllowNull()]
        [System.Collections.IDictionary]
        $Certificate
    )

    $State.files[$Path.ToLowerInvariant()] = [ordered]@{
        path        = $Path
        content     = $Content
        certificate = $Certificate
    }
}
