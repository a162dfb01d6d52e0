function Save-SrInstaller
{
    <#
    .SYNOPSIS
        Stages an installer in the guest and verifies its SHA-256 (and optionally its signer).

    .DESCRIPTION
        -Source decides how the file is staged:
        an https URL is downloaded, a UNC path (\\server\share\...) is copied,
        a local path (C:\...) is already staged and used in place.
        With -UploadPath the runner has already copied the file into the
        guest (installer.stage: runner): -Source is then the runner's path,
        used only to name the file and in messages, and the upload is moved
        into place (Import-SrPlatformUpload) and verified like a download.
        For a URL, UNC or uploaded source -Sha256 and -DestinationDirectory are
        required. If the destination already holds a file with the expected
        hash nothing is fetched (changed = $false). After fetching, a hash
        mismatch deletes the file and throws an error naming the expected and
        the actual hash. With -ExpectedSignerThumbprint the Authenticode
        signature must be Valid and signed by that certificate.
        Before anything is read from or written to -DestinationDirectory
        (and the runner's upload folder under C:\ProgramData\snapready),
        Protect-SrStagingDirectory makes sure only SYSTEM and Administrators
        can write there: a junction, or a folder owned by anyone else, is
        refused with SrStagingFolderUnsafe. Every staged file is then made
        owned by Administrators and secured by its folder alone
        (Reset-SrPlatformFileSecurity) before its hash is taken; the result's
        sha256 is what Install-SrAgent -ExpectedSha256 checks again.

    .PARAMETER Source
        https URL, UNC path or local path of the installer.

    .PARAMETER Sha256
        Expected SHA-256 (64 hex digits). Required for URL and UNC sources.

    .PARAMETER DestinationDirectory
        Local folder to stage into. Required for URL and UNC sources.

    .PARAMETER FileName
        File name to stage as; defaults to the last segment of -Source.

    .PARAMETER ExpectedSignerThumbprint
        Optional thumbprint the Authenticode signer must have.

    .PARAMETER UploadPath
        A file the runner uploaded through the session (real, absolute
        path); when given, -Source is the runner's path of the installer.

    .EXAMPLE
        Save-SrInstaller -Source 'https://example.invalid/virtio-win/qemu-ga-x86_64.msi' -Sha256 $sha -DestinationDirectory 'C:\ProgramData\snapready\installers'

    .EXAMPLE
        Save-SrInstaller -Source '\\fileserver\share\qemu-ga-x86_64.msi' -Sha256 $sha -DestinationDirectory 'C:\ProgramData\snapready\installers'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, path and sha256.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Source,

        [Parameter()]
        [ValidatePattern('^[0-9A-Fa-f]{64}$')]
        [string]
        $Sha256,

        [Parameter()]
        [ValidatePattern('^[A-Za-z]:\\')]
        [string]
        $DestinationDirectory,

        [Parameter()]
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,200}$')]
        [string]
        $FileName,

        [Parameter()]
        [ValidatePattern('^[0-9A-Fa-f]{40}$')]
        [string]
        $ExpectedSignerThumbprint,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string]
        $UploadPath
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $kind = $null
    if ($PSBoundParameters.ContainsKey('UploadPath'))
    {
        if (-not [System.IO.Path]::IsPathRooted($UploadPath))
        {
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerSourceInvalid' -Category InvalidArgument -Message (
                        "The upload path '{0}' is not an absolute path." -f $UploadPath)))
        }
        $kind = 'upload'
    }
    elseif ($Source -match '^https://')
    {
        $kind = 'url'
    }
    elseif ($Source -match '^\\\\[^\\/]+\\[^\\/]+\\.+')
    {
        $kind = 'unc'
    }
    elseif ($Source -match '^[A-Za-z]:\\.+')
    {
        $kind = 'local'
    }
    else
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerSourceInvalid' -Category InvalidArgument -Message (
                    "Installer source '{0}' is neither an https URL, a UNC path (\\server\share\...) nor a local path (C:\...)." -f $Source)))
    }

    $expectedHash = $null
    if ($PSBoundParameters.ContainsKey('Sha256'))
    {
        $expectedHash = $Sha256.ToUpperInvariant()
    }

    if ($kind -eq 'local')
    {
        if (-not (Test-SrPlatformPath -Path $Source))
        {
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerNotFound' -Category ObjectNotFound -Message (
                        "Installer '{0}' does not exist." -f $Source)))
        }
        $actual = Get-SrPlatformFileHash -Path $Source
        if ($null -ne $expectedHash -and $actual -ne $expectedHash)
        {
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerHashMismatch' -Category SecurityError -Message (
                        "SHA-256 mismatch for installer '{0}': expected {1}, actual {2}. The file was left in place because it is not snapready's copy." -f $Source, $expectedHash, $actual)))
        }
        if ($PSBoundParameters.ContainsKey('ExpectedSignerThumbprint'))
        {
            Assert-SrAuthenticodeSigner -Path $Source -Thumbprint $ExpectedSignerThumbprint
        }
        return New-SrResult -Changed $false -Detail ("Installer '{0}' is a local file and already staged." -f $Source) -Property @{ path = $Source; sha256 = $actual }
    }

    if ($null -eq $expectedHash)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerHashRequired' -Category InvalidArgument -Message (
                    "-Sha256 is required to stage an installer from '{0}'." -f $Source)))
    }
    if (-not $PSBoundParameters.ContainsKey('DestinationDirectory'))
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerDestinationRequired' -Category InvalidArgument -Message (
                    "-DestinationDirectory is required to stage an installer from '{0}'." -f $Source)))
    }

    $leaf = $FileName
    if ([string]::IsNullOrEmpty($leaf))
    {
        if ($kind -eq 'url')
        {
            $leaf = [uri]::UnescapeDataString(([uri]$Source).AbsolutePath.TrimEnd('/').Split('/')[-1])
        }
        elseif ($kind -eq 'upload')
        {
            $leaf = $Source.TrimEnd('\', '/').Split([char[]]@('\', '/'))[-1]
        }
        else
        {
            $leaf = $Source.TrimEnd('\').Split('\')[-1]
        }
        if ($leaf -notmatch '^[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,200}$')
        {
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerFileNameInvalid' -Category InvalidArgument -Message (
                        "Cannot derive a safe file name from '{0}'; pass -FileName." -f $Source)))
        }
    }
    $destination = '{0}\{1}' -f $DestinationDirectory.TrimEnd('\'), $leaf

    # Only SYSTEM and Administrators may write where the installer waits (and
    # in the runner's upload folder): refuses a junction or a folder owned by
    # someone else (SrStagingFolderUnsafe), before anything is read from it.
    Protect-SrStagingDirectory -Path $DestinationDirectory
    if ($kind -eq 'upload')
    {
        $uploadFolder = $UploadPath.Substring(0, $UploadPath.LastIndexOfAny([char[]]@('\', '/')))
        Protect-SrStagingDirectory -Path $uploadFolder -OnlyInSnapreadyRoot
    }

    if (Test-SrPlatformPath -Path $destination)
    {
        Reset-SrPlatformFileSecurity -Path $destination
        $existing = Get-SrPlatformFileHash -Path $destination
        if ($existing -eq $expectedHash)
        {
            if ($PSBoundParameters.ContainsKey('ExpectedSignerThumbprint'))
            {
                Assert-SrAuthenticodeSigner -Path $destination -Thumbprint $ExpectedSignerThumbprint
            }
            return New-SrResult -Changed $false -Detail ("Installer already staged at '{0}' with the expected SHA-256." -f $destination) -Property @{ path = $destination; sha256 = $existing }
        }
        Write-Verbose -Message ("Staged file '{0}' has SHA-256 {1}, expected {2}; fetching again." -f $destination, $existing, $expectedHash)
    }

    if ($kind -eq 'url')
    {
        Write-Verbose -Message ("Downloading '{0}' to '{1}'." -f $Source, $destination)
        Invoke-SrPlatformDownload -Uri ([uri]$Source) -OutFile $destination
    }
    elseif ($kind -eq 'upload')
    {
        Write-Verbose -Message ("Moving the upload of '{0}' to '{1}'." -f $Source, $destination)
        Import-SrPlatformUpload -Path $UploadPath -Destination $destination
    }
    else
    {
        Write-Verbose -Message ("Copying '{0}' to '{1}'." -f $Source, $destination)
        Copy-SrPlatformFile -Source $Source -Destination $destination
    }

    # A moved file keeps its old security descriptor, an overwritten one its owner.
    Reset-SrPlatformFileSecurity -Path $destination
    $actual = Get-SrPlatformFileHash -Path $destination
    if ($actual -ne $expectedHash)
    {
        Remove-SrPlatformFile -Path $destination
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrInstallerHashMismatch' -Category SecurityError -Message (
                    "SHA-256 mismatch for installer from '{0}': expected {1}, actual {2}. The file '{3}' was deleted." -f $Source, $expectedHash, $actual, $destination)))
    }
    if ($PSBoundParameters.ContainsKey('ExpectedSignerThumbprint'))
    {
        try
        {
            Assert-SrAuthenticodeSigner -Path $destination -Thumbprint $ExpectedSignerThumbprint
        }
        catch
        {
            Remove-SrPlatformFile -Path $destination
            throw
        }
    }
    $from = '{0} source' -f $kind
    if ($kind -eq 'upload') { $from = "the runner's copy of '{0}'" -f $Source }
    New-SrResult -Changed $true -Detail ("Installer staged at '{0}' from {1} and verified." -f $destination, $from) -Property @{ path = $destination; sha256 = $actual }
}
