function Copy-SrHostItemToSession
{
    <#
    .SYNOPSIS
        Copies a local folder or file into a folder on the remote side of a session, bounded by a time limit.

    .DESCRIPTION
        Thin wrapper over Copy-Item -LiteralPath <Path> -Destination
        <Destination> -ToSession <Session> -Recurse -Force: a folder
        arrives as <Destination>/<leaf of Path>; a file is copied to
        <Destination> (a file path) when -Destination names a path that
        does not exist as a folder. The copy runs in a runspace of its own
        and is waited for in slices of at most 250 ms (so that a pipeline
        stop, Invoke-SrHostBatch stopping a slot, ends it within about a
        quarter of a second) for at most -TimeoutMilliseconds; when that
        passes, the session is closed without waiting for the guest
        (Close-SrHostSession, which ends the transfer), and a retryable
        'timeout' error (SrHostCallTimeout) is thrown. After a time-out or a
        stop, the copy is asked to stop and its runspace is handed to
        Clear-SrHostRetiredWork, which disposes it once the copy has ended
        (Dispose would wait for it). Used for shipping module folders; the
        staged installer goes through Send-SrHostFileToSession instead. It exists so that tests can
        replace the copy (Pester cannot mock Copy-Item -ToSession with a
        stand-in session, because it binds Copy-Item's provider dynamic
        parameters for real).

    .PARAMETER Session
        The open PSSession.

    .PARAMETER Path
        Local folder.

    .PARAMETER Destination
        Existing remote folder, or the remote path of a copied file.

    .PARAMETER TimeoutMilliseconds
        Time limit of the copy.

    .EXAMPLE
        Copy-SrHostItemToSession -Session $session -Path '/repo/guest/SnapReady.Guest' -Destination 'C:\ProgramData\snapready\modules\<hash>\.partial-1' -TimeoutMilliseconds 300000

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
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
        [ValidateRange(1, [int]::MaxValue)]
        [int]
        $TimeoutMilliseconds
    )

    $retired = Get-SrHostRetiredWork
    Clear-SrHostRetiredWork
    $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace()
    $shell = [System.Management.Automation.PowerShell]::Create()
    $pending = $null
    $finished = $false
    try
    {
        $runspace.Open()
        $shell.Runspace = $runspace
        # Constant code; the values are bound as arguments.
        $null = $shell.AddScript('param($s, $p, $d) $ErrorActionPreference = ''Stop''; Copy-Item -LiteralPath $p -Destination $d -ToSession $s -Recurse -Force -ErrorAction Stop').AddArgument($Session).AddArgument($Path).AddArgument($Destination)
        $deadline = [datetime]::UtcNow.AddMilliseconds($TimeoutMilliseconds)
        $pending = $shell.BeginInvoke()
        while (-not $finished)
        {
            $left = ($deadline - [datetime]::UtcNow).TotalMilliseconds
            if ($left -le 0)
            {
                Close-SrHostSession -Session $Session
                throw (New-SrHostErrorRecord -Category timeout -ErrorId 'SrHostCallTimeout' -Retryable $true -Message (
                        'copying {0} to the guest did not finish within {1} s; the session was closed' -f (Split-Path -Path $Path -Leaf), [math]::Round($TimeoutMilliseconds / 1000.0, 1)))
            }
            $finished = $pending.AsyncWaitHandle.WaitOne([int][math]::Min(250, [math]::Ceiling($left)))
        }
        try
        {
            $null = $shell.EndInvoke($pending)
        }
        catch
        {
            # EndInvoke wraps the copy's error in a MethodInvocationException.
            $inner = $_.Exception.InnerException
            if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { throw $inner.ErrorRecord }
            throw
        }
        if ($shell.Streams.Error.Count -gt 0)
        {
            throw $shell.Streams.Error[0]
        }
    }
    finally
    {
        if ($finished -or $null -eq $pending)
        {
            $shell.Dispose()
            $runspace.Dispose()
        }
        else
        {
            # Timed out or stopped: method calls only (they still run while the pipeline stops).
            try
            {
                $null = $shell.BeginStop($null, $null)
                if ($Session -is [System.Management.Automation.Runspaces.PSSession] -and ([string]$Session.Runspace.RunspaceStateInfo.State) -eq 'Opened') { $Session.Runspace.CloseAsync() }
            }
            catch
            {
                $null = $_
            }
            $retired.Add([pscustomobject]@{ kind = 'copy'; shell = $shell; runspace = $runspace; pending = $pending })
        }
    }
}
