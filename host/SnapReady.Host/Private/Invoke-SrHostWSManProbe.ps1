function Invoke-SrHostWSManProbe
{
    <#
    .SYNOPSIS
        Tries to open a WSMan connection to show whether this pwsh can load
        its WSMan client library.

    .DESCRIPTION
        PowerShell 7 on Linux and macOS ships no WSMan client library
        (libpsrpclient and libmi; PowerShell/PowerShell#17390): New-PSSession
        -ComputerName then fails while loading it, before any network
        traffic. The probe runs New-PSSession -ComputerName 127.0.0.1 -Port 1,
        with no credential, in a runspace of its own and waits at most
        -TimeoutMilliseconds. It never sends a credential, and port 1 is
        refused on any ordinary machine.

        The outcome is judged by .NET exception types, never by message text:
        a System.DllNotFoundException, EntryPointNotFoundException,
        BadImageFormatException or NotSupportedException (PlatformNotSupported,
        PSNotSupported) anywhere in the error's exception chain, or a
        New-PSSession without the -ComputerName parameter set, means the
        client is missing. Any other outcome (connection refused, an
        authentication error, no answer in time, even a session) means the
        library loaded. A session that opened is removed.

    .PARAMETER TimeoutMilliseconds
        How long to wait for the attempt. When it is still running then, it is
        stopped without waiting and the library counts as loaded (a missing
        library fails at once).

    .EXAMPLE
        $probe = Invoke-SrHostWSManProbe -TimeoutMilliseconds 10000

    .OUTPUTS
        System.Collections.Specialized.OrderedDictionary: clientLoaded (bool)
        and exceptionType (the .NET type that showed the library missing, or
        the outcome that showed it loaded).
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param
    (
        [Parameter()]
        [ValidateRange(100, 60000)]
        [int]
        $TimeoutMilliseconds = 10000
    )

    $newSession = Get-Command -Name 'Microsoft.PowerShell.Core\New-PSSession' -CommandType Cmdlet -ErrorAction SilentlyContinue
    if ($null -eq $newSession -or -not $newSession.Parameters.ContainsKey('ComputerName'))
    {
        return [ordered]@{ clientLoaded = $false; exceptionType = 'System.Management.Automation.ParameterBindingException' }
    }

    $missingTypes = @(
        [System.DllNotFoundException]
        [System.EntryPointNotFoundException]
        [System.BadImageFormatException]
        [System.NotSupportedException]
        [System.Management.Automation.ParameterBindingException]
    )
    $ps = [powershell]::Create()
    $finished = $false
    try
    {
        $null = $ps.AddCommand('Microsoft.PowerShell.Core\New-PSSession').AddParameter('ComputerName', '127.0.0.1').AddParameter('Port', 1)
        $handle = $ps.BeginInvoke()
        if (-not $handle.AsyncWaitHandle.WaitOne($TimeoutMilliseconds))
        {
            # Still trying to connect: the library is there. Stop without waiting.
            $null = $ps.BeginStop($null, $null)
            return [ordered]@{ clientLoaded = $true; exceptionType = 'System.TimeoutException' }
        }
        $finished = $true
        $exceptions = New-Object -TypeName 'System.Collections.Generic.List[System.Exception]'
        $sessions = @()
        try
        {
            $sessions = @($ps.EndInvoke($handle))
        }
        catch
        {
            $exceptions.Add($_.Exception)
        }
        foreach ($record in @($ps.Streams.Error))
        {
            $exceptions.Add($record.Exception)
        }
        if ($sessions.Count -gt 0)
        {
            $ps.Commands.Clear()
            $null = $ps.AddCommand('Microsoft.PowerShell.Core\Remove-PSSession').AddParameter('Session', $sessions).Invoke()
        }

        # Walk every exception chain, including the exceptions of nested error records.
        $seen = 0
        $outcome = 'none'
        while ($exceptions.Count -gt 0 -and $seen -lt 64)
        {
            $exception = $exceptions[0]
            $exceptions.RemoveAt(0)
            $seen++
            if ($null -eq $exception) { continue }
            foreach ($type in $missingTypes)
            {
                if ($exception -is $type)
                {
                    return [ordered]@{ clientLoaded = $false; exceptionType = $exception.GetType().FullName }
                }
            }
            if ($outcome -eq 'none') { $outcome = $exception.GetType().FullName }
            if ($null -ne $exception.InnerException) { $exceptions.Add($exception.InnerException) }
            if ($exception -is [System.Management.Automation.IContainsErrorRecord] -and $null -ne $exception.ErrorRecord -and -not [object]::ReferenceEquals($exception.ErrorRecord.Exception, $exception))
            {
                $exceptions.Add($exception.ErrorRecord.Exception)
            }
        }
        [ordered]@{ clientLoaded = $true; exceptionType = $outcome }
    }
    finally
    {
        if ($finished)
        {
            $ps.Dispose()
        }
    }
}
