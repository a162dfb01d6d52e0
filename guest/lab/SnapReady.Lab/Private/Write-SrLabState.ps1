function Write-SrLabState
{
    <#
    .SYNOPSIS
        Saves a lab guest's state file.

    .DESCRIPTION
        Writes the state as indented JSON (UTF-8), atomically: the JSON goes
        to a temporary file next to the state file, which then replaces the
        state file by a rename (File.Move with overwrite, a rename(2) on
        Linux and MoveFileEx on Windows). A reader or a crash therefore sees
        either the old or the new state, never a half-written file. Several
        processes may write DIFFERENT state files at the same time (each
        temporary name is unique). Two runs may converge one lab guest at
        once; what keeps them from writing it at the same time is what keeps
        them from changing a real guest at the same time: the guest lock
        (Lock-SrGuest), whose own check-and-write is serialised by the lab's
        stand-in for a named mutex (Enter-SrPlatformMutex in
        Invoke-SrLabOperation). Reads never need a lock.

    .PARAMETER Path
        State file path.

    .PARAMETER State
        The state hashtable.

    .EXAMPLE
        Write-SrLabState -Path $statePath -State $state

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
        [System.Collections.IDictionary]
        $State
    )

    $json = $State | ConvertTo-Json -Depth 30
    $fullPath = [System.IO.Path]::GetFullPath($Path)
    $temporary = '{0}.{1}.tmp' -f $fullPath, [guid]::NewGuid().ToString('N')
    try
    {
        [System.IO.File]::WriteAllText($temporary, $json, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
        [System.IO.File]::Move($temporary, $fullPath, $true)
    }
    finally
    {
        if ([System.IO.File]::Exists($temporary))
        {
            [System.IO.File]::Delete($temporary)
        }
    }
}
