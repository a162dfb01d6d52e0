function Enter-SrPlatformMutex
{
    <#
    .SYNOPSIS
        Enters a machine-wide critical section (platform layer).

    .DESCRIPTION
        Opens the named mutex -Name (a Global\ name is shared by every
        session on the machine, remoting sessions included) and waits up to
        -TimeoutMilliseconds to own it. A mutex abandoned by a process that
        died while owning it is owned as well: the caller re-reads whatever
        it guards. Returns a handle for Exit-SrPlatformMutex, which must be
        called in the same command (a mutex belongs to the thread that owns
        it). Throws a TimeoutException when the wait times out.
        Only for short critical sections inside one command: a mutex dies
        with its process and does not survive a reboot or a dropped session,
        so it cannot be a lock held across commands (see Lock-SrGuest).

    .PARAMETER Name
        Mutex name, for example Global\snapready-guest-lock.

    .PARAMETER TimeoutMilliseconds
        Longest wait to own the mutex.

    .EXAMPLE
        $handle = Enter-SrPlatformMutex -Name 'Global\snapready-guest-lock' -TimeoutMilliseconds 30000

    .OUTPUTS
        System.Object: the handle to pass to Exit-SrPlatformMutex.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^(Global\\)?[A-Za-z0-9._-]{1,200}$')]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [ValidateRange(0, 600000)]
        [int]
        $TimeoutMilliseconds
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $mutex = New-Object -TypeName System.Threading.Mutex -ArgumentList $false, $Name
    $owned = $false
    try
    {
        $owned = $mutex.WaitOne($TimeoutMilliseconds)
    }
    catch
    {
        $inner = $_.Exception
        while ($null -ne $inner -and $inner -isnot [System.Threading.AbandonedMutexException])
        {
            $inner = $inner.InnerException
        }
        if ($null -eq $inner)
        {
            $mutex.Dispose()
            throw
        }
        $owned = $true
    }
    if (-not $owned)
    {
        $mutex.Dispose()
        throw (New-Object -TypeName System.TimeoutException -ArgumentList ("The mutex '{0}' was not free within {1} ms." -f $Name, $TimeoutMilliseconds))
    }
    return , $mutex
}
