function Invoke-SrHostSessionCommand
{
    <#
    .SYNOPSIS
        Runs a script block in a remoting session, bounded by a time limit.

    .DESCRIPTION
        Every remote command of the host module goes through here:
        Invoke-Command -Session -ScriptBlock -ArgumentList -AsJob, then a
        wait on the job's Finished handle, in slices of at most 250 ms,
        until -TimeoutMilliseconds has passed. The slices matter: a pipeline
        stop (Invoke-SrHostBatch stopping a slot with BeginStop) is only
        noticed between statements, so the request ends within about a
        quarter of a second of it instead of at the limit.
        The arguments stay data (bound to the script block's parameters).
        When the job finishes in time, its output is returned and a remote
        error is rethrown as Invoke-Command -ErrorAction Stop would
        (Receive-Job -ErrorAction Stop), so callers classify it with
        Resolve-SrHostFailure as before.
        When the limit passes first (a hung msiexec, a MessageBox, a guest
        that stopped answering), the session is closed without waiting for
        the guest (Close-SrHostSession: the SSH transport ends, WinRM
        deletes the remote shell and with it the stuck pipeline), and a
        terminating 'timeout' error is thrown: SrHostCallTimeout, retryable,
        naming -Activity and the limit. The caller drops the connection; the
        runner connects again for its next request. The worker process stays
        usable. After a time-out or a stop, the session's close is started
        (Runspace.CloseAsync) and the job is left to Clear-SrHostRetiredWork,
        since Remove-Job -Force would wait for a remote stop that may never
        be answered.

    .PARAMETER Session
        The open PSSession.

    .PARAMETER ScriptBlock
        The script block to run remotely (constant code; values go in
        -ArgumentList).

    .PARAMETER ArgumentList
        Arguments bound to the script block's parameters.

    .PARAMETER TimeoutMilliseconds
        Time limit in milliseconds (at least 1).

    .PARAMETER Activity
        What runs, for the time-out message, e.g. "the call on guest sql01".

    .EXAMPLE
        Invoke-SrHostSessionCommand -Session $session -ScriptBlock { param([string] $R) Invoke-SrGuestCommand -RequestBase64 $R } -ArgumentList $b64 -TimeoutMilliseconds 600000 -Activity 'the call on guest sql01'

    .OUTPUTS
        System.Object: what the script block wrote to its output.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [object]
        $Session,

        [Parameter(Mandatory = $true)]
        [scriptblock]
        $ScriptBlock,

        [Parameter()]
        [AllowEmptyCollection()]
        [object[]]
        $ArgumentList = @(),

        [Parameter(Mandatory = $true)]
        [ValidateRange(1, [int]::MaxValue)]
        [int]
        $TimeoutMilliseconds,

        [Parameter(Mandatory = $true)]
        [string]
        $Activity
    )

    $retired = Get-SrHostRetiredWork
    Clear-SrHostRetiredWork
    $job = Invoke-Command -Session $Session -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList -AsJob -ErrorAction Stop
    $finished = $false
    try
    {
        $deadline = [datetime]::UtcNow.AddMilliseconds($TimeoutMilliseconds)
        while (-not $finished)
        {
            $left = ($deadline - [datetime]::UtcNow).TotalMilliseconds
            if ($left -le 0)
            {
                Close-SrHostSession -Session $Session
                throw (New-SrHostErrorRecord -Category timeout -ErrorId 'SrHostCallTimeout' -Retryable $true -Message (
                        '{0} did not finish within {1} s; the session was closed' -f $Activity, [math]::Round($TimeoutMilliseconds / 1000.0, 1)))
            }
            $finished = $job.Finished.WaitOne([int][math]::Min(250, [math]::Ceiling($left)))
        }
        Receive-Job -Job $job -ErrorAction Stop -WarningAction SilentlyContinue
    }
    finally
    {
        if ($finished)
        {
            Remove-Job -Job $job -Force -ErrorAction SilentlyContinue
        }
        else
        {
            # Timed out or stopped: method calls only (they still run while the pipeline stops).
            if ($Session -is [System.Management.Automation.Runspaces.PSSession])
            {
                try
                {
                    if (([string]$Session.Runspace.RunspaceStateInfo.State) -eq 'Opened') { $Session.Runspace.CloseAsync() }
                }
                catch
                {
                    $null = $_
                }
            }
            $retired.Add([pscustomobject]@{ kind = 'job'; job = $job })
        }
    }
}
