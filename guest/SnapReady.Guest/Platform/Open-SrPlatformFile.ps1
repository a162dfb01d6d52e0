function Open-SrPlatformFile
{
    <#
    .SYNOPSIS
        Opens a file so that nobody can change it while it is open, and hashes it (platform layer).

    .DESCRIPTION
        Opens -Path with FileAccess.Read and FileShare.Read: while the handle
        is open, Windows refuses every other open that would write to,
        delete or rename the file, and this open itself fails when someone
        already holds the file open for writing. The SHA-256 is computed
        from this handle, so the content hashed is the content that stays in
        place until Close-SrPlatformFile. Install-SrAgent keeps the handle
        open while the installer runs.

    .PARAMETER Path
        File path.

    .EXAMPLE
        $file = Open-SrPlatformFile -Path 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with handle (pass it to
        Close-SrPlatformFile) and sha256 (64 upper-case hex digits).
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

    $stream = [System.IO.File]::Open($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::Read)
    try
    {
        $algorithm = [System.Security.Cryptography.SHA256]::Create()
        try
        {
            $digest = $algorithm.ComputeHash($stream)
        }
        finally
        {
            $algorithm.Dispose()
        }
    }
    catch
    {
        $stream.Dispose()
        throw
    }
    [pscustomobject]@{
        handle = $stream
        sha256 = [System.BitConverter]::ToString($digest).Replace('-', '')
    }
}
