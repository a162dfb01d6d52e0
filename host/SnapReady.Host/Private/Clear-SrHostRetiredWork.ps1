function Clear-SrHostRetiredWork
{
    <#
    .SYNOPSIS
        Releases the retired remote work that has ended meanwhile.

    .DESCRIPTION
        Goes once through Get-SrHostRetiredWork without waiting for anything:
        a 'session' whose runspace is Closed or Broken is removed
        (Remove-PSSession, quick once closed); a 'job' that has finished is
        removed (Remove-Job); a 'copy' whose pipeline has ended has its
        PowerShell and runspace disposed. Whatever is still running stays in
        the list for the next sweep. Errors while releasing are ignored (the
        object is dropped). Called at the start of every remote step
        (Invoke-SrHostSessionCommand, Copy-SrHostItemToSession,
        Close-SrHostSession).

    .EXAMPLE
        Clear-SrHostRetiredWork

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param ()

    $list = Get-SrHostRetiredWork
    for ($i = $list.Count - 1; $i -ge 0; $i--)
    {
        $item = $list[$i]
        $ended = $false
        try
        {
            switch ($item.kind)
            {
                'session'
                {
                    $state = [string]$item.session.Runspace.RunspaceStateInfo.State
                    if ($state -in @('Closed', 'Broken'))
                    {
                        $ended = $true
                        Remove-PSSession -Session $item.session -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                    }
                }
                'job'
                {
                    if ($item.job.Finished.WaitOne(0))
                    {
                        $ended = $true
                        Remove-Job -Job $item.job -Force -ErrorAction SilentlyContinue
                    }
                }
                'copy'
                {
                    if ($null -eq $item.pending -or $item.pending.IsCompleted)
                    {
                        $ended = $true
                        $item.shell.Dispose()
                        $item.runspace.Dispose()
                    }
                }
                default
                {
                    $ended = $true
                }
            }
        }
        catch
        {
            $ended = $true
        }
        if ($ended)
        {
            $list.RemoveAt($i)
        }
    }
}
