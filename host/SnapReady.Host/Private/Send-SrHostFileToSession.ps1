function Send-SrHostFileToSession
{
    <#
    .SYNOPSIS
        Copies one local file to a path on the remote side of a session, in chunks, bounded by a deadline.

    .DESCRIPTION
        The staged installer's copy (installer.stage: runner). It replaces
        Copy-Item -ToSession, which also copies alternate data streams: a
        file downloaded on a Windows runner carries Zone.Identifier, and
        copying that to a PowerShell 7 endpoint fails ("'Byte' is not a
        supported encoding name", PowerShell#6623, #12026, #8480).
        The file is read here with a FileStream in chunks of -ChunkBytes;
        each chunk goes to the guest as a base64 string argument of one
        constant script block (Invoke-SrHostSessionCommand, never pasted
        into script text), which writes it with a FileStream at its offset:
        the first chunk creates or truncates -Destination, each later one
        checks that the file holds exactly the bytes sent so far. The remote
        side uses .NET only (Windows PowerShell 5.1 / .NET 4.5 and
        PowerShell 7), not the guest module. An empty file is one call.
        Each chunk is bounded by what is left until -Deadline; one that
        overruns closes the session and throws a retryable 'timeout' error
        (SrHostCallTimeout). A remote write that answers a different length
        is a 'guest' error (SrHostStageCopyFailed). The content is not
        checked here: the guest checks the SHA-256 of the whole file
        afterwards (Save-SrInstaller).

    .PARAMETER Session
        The open PSSession.

    .PARAMETER Path
        The local file.

    .PARAMETER Destination
        The remote file path (its folder exists).

    .PARAMETER Deadline
        UTC time by which the whole copy must be done.

    .PARAMETER ChunkBytes
        Bytes per remote call, 1 to 4 MiB. Default 1 MiB.

    .PARAMETER Activity
        What is copied, for messages, e.g. "copying qemu-ga-x86_64.msi to guest sql01".

    .EXAMPLE
        Send-SrHostFileToSession -Session $session -Path '/srv/media/qemu-ga-x86_64.msi' -Destination 'C:\ProgramData\snapready\uploads\x.partial' -Deadline ([datetime]::UtcNow.AddMinutes(15)) -Activity 'copying qemu-ga-x86_64.msi to guest sql01'

    .OUTPUTS
        System.Int64: the number of bytes copied.
    #>
    [CmdletBinding()]
    [OutputType([long])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [object]
        $Session,

        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [string]
        $Destination,

        [Parameter(Mandatory = $true)]
        [datetime]
        $Deadline,

        [Parameter()]
        [ValidateRange(1, 4194304)]
        [int]
        $ChunkBytes = 1048576,

        [Parameter(Mandatory = $true)]
        [string]
        $Activity
    )

    # Runs remotely (PowerShell 5.1 or 7), .NET only: writes one chunk at its offset, answers the new length.
    $writeChunk = {
        param([string] $Path, [long] $Offset, [string] $Data)
        $ErrorActionPreference = 'Stop'
        $bytes = [System.Convert]::FromBase64String($Data)
        $mode = [System.IO.FileMode]::Open
        if ($Offset -eq 0) { $mode = [System.IO.FileMode]::Create }
        $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $Path, $mode, ([System.IO.FileAccess]::Write), ([System.IO.FileShare]::None)
        try
        {
            if ($stream.Length -ne $Offset)
            {
                throw ("the upload '{0}' holds {1} bytes, expected {2}" -f $Path, $stream.Length, $Offset)
            }
            $null = $stream.Seek($Offset, [System.IO.SeekOrigin]::Begin)
            $stream.Write($bytes, 0, $bytes.Length)
            $stream.Flush()
            [long]$stream.Length
        }
        finally
        {
            $stream.Dispose()
        }
    }

    $source = New-Object -TypeName System.IO.FileStream -ArgumentList $Path, ([System.IO.FileMode]::Open), ([System.IO.FileAccess]::Read), ([System.IO.FileShare]::Read)
    try
    {
        $total = $source.Length
        $buffer = New-Object -TypeName 'byte[]' -ArgumentList ([int][math]::Min([long]$ChunkBytes, [math]::Max(1L, $total)))
        [long]$offset = 0
        do
        {
            # Fill the buffer (a FileStream may return fewer bytes than asked).
            $count = 0
            while ($count -lt $buffer.Length)
            {
                $read = $source.Read($buffer, $count, $buffer.Length - $count)
                if ($read -le 0) { break }
                $count += $read
            }
            $data = [System.Convert]::ToBase64String($buffer, 0, $count)
            $answer = @(Invoke-SrHostSessionCommand -Session $Session -ScriptBlock $writeChunk -ArgumentList $Destination, $offset, $data -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $Deadline) -Activity (
                    '{0} (at byte {1} of {2})' -f $Activity, $offset, $total)) | Select-Object -Last 1
            $offset += $count
            if ($null -eq $answer -or [long]$answer -ne $offset)
            {
                throw (New-SrHostErrorRecord -Category guest -ErrorId 'SrHostStageCopyFailed' -Message (
                        '{0}: the guest holds {1} bytes after a write, expected {2}' -f $Activity, $answer, $offset))
            }
        } while ($offset -lt $total -and $count -gt 0)
        if ($offset -ne $total)
        {
            throw (New-SrHostErrorRecord -Category guest -ErrorId 'SrHostStageCopyFailed' -Message (
                    '{0}: the file changed while it was copied ({1} bytes copied, {2} expected)' -f $Activity, $offset, $total))
        }
        $offset
    }
    finally
    {
        $source.Dispose()
    }
}
