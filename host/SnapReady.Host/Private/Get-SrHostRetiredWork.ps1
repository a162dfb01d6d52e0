function Get-SrHostRetiredWork
{
    <#
    .SYNOPSIS
        Returns the list of remote work that was given up on and is cleaned up later.

    .DESCRIPTION
        A remote step that ran past its time limit, or whose request was
        stopped (Invoke-SrHostBatch stopping a slot), cannot be waited for:
        closing a session or removing a job can itself block for as long as
        the guest does not answer (PowerShell#15175, #5685). Such leftovers
        (a PSSession still closing, a remoting job still running, a copy's
        runspace) are added to this list, one PSCustomObject each with kind
        ('session', 'job' or 'copy') and the objects to release, and
        Clear-SrHostRetiredWork releases them once they have ended. The list
        lives in the module's script scope of this runspace; it is created
        on first use. Adding to it is a method call, which still works in a
        finally block of a pipeline that is being stopped.

    .EXAMPLE
        $retired = Get-SrHostRetiredWork

    .OUTPUTS
        System.Collections.Generic.List[object].
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Generic.List[object]])]
    param ()

    $list = Get-Variable -Name 'SrHostRetiredWork' -Scope Script -ValueOnly -ErrorAction Ignore
    if ($null -eq $list)
    {
        $list = New-Object -TypeName 'System.Collections.Generic.List[object]'
        Set-Variable -Name 'SrHostRetiredWork' -Scope Script -Value $list
    }
    , $list
}
