function Close-SrHostSession
{
    <#
    .SYNOPSIS
        Closes a remoting session without waiting longer than a short bound.

    .DESCRIPTION
        Remove-PSSession closes the session synchronously, and that close
        waits for the remote side: for a guest that does not answer (hung,
        frozen, cut off) it can block for good (PowerShell#15175, #5685).
        Here the session's runspace is closed asynchronously
        (Runspace.CloseAsync: the remote pipeline is stopped, WinRM deletes
        the remote shell, the SSH transport ends), and its state is watched
        in short, stoppable sleeps for at most -TimeoutMilliseconds. Once it
        is Closed or Broken, Remove-PSSession takes it out of this
        runspace's session list (quick then). When it is still closing, it
        is handed to Get-SrHostRetiredWork and removed by a later
        Clear-SrHostRetiredWork. A stand-in that is not a PSSession (unit
        tests) goes to Remove-PSSession directly. Never throws.

    .PARAMETER Session
        The PSSession to close.

    .PARAMETER TimeoutMilliseconds
        How long to wait for the close at most. Default 2000.

    .EXAMPLE
        Close-SrHostSession -Session $session

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowNull()]
        [object]
        $Session,

        [Parameter()]
        [ValidateRange(0, 60000)]
        [int]
        $TimeoutMilliseconds = 2000
    )

    if ($null -eq $Session)
    {
        return
    }
    $retired = Get-SrHostRetiredWork
    try
    {
        Clear-SrHostRetiredWork
        if ($Session -isnot [System.Management.Automation.Runspaces.PSSession])
        {
            Remove-PSSession -Session $Session -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            return
        }
        $runspace = $Session.Runspace
        $isClosed = { ([string]$runspace.RunspaceStateInfo.State) -in @('Closed', 'Broken') }
        if (-not (& $isClosed))
        {
            try
            {
                $runspace.CloseAsync()
            }
            catch
            {
                $null = $_
            }
        }
        $deadline = [datetime]::UtcNow.AddMilliseconds($TimeoutMilliseconds)
        while (-not (& $isClosed) -and [datetime]::UtcNow -lt $deadline)
        {
            Start-Sleep -Milliseconds 50
        }
        if (& $isClosed)
        {
            Remove-PSSession -Session $Session -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }
        else
        {
            $retired.Add([pscustomobject]@{ kind = 'session'; session = $Session })
        }
    }
    catch
    {
        $null = $_
    }
}
