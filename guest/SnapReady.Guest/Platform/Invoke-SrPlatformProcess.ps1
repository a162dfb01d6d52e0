function Invoke-SrPlatformProcess
{
    <#
    .SYNOPSIS
        Runs a program with an argument array and waits for it (platform layer).

    .DESCRIPTION
        Starts -FilePath directly (no shell, no cmd.exe, no string evaluation)
        with -ArgumentList passed element by element
        (ProcessStartInfo.ArgumentList where available, otherwise quoted by
        ConvertTo-SrCommandLine), captures standard output and error, and
        returns the exit code. It never throws on a non-zero exit code; callers
        map exit codes. Every run is bounded by -TimeoutSeconds: a program
        that does not exit in time (a hung msiexec, a MessageBox that nobody
        can click in a non-interactive session) is killed with its whole
        process tree, and a retryable terminating error SrProcessTimeout
        (category OperationTimeout, TargetObject.filePath and timeoutSeconds)
        is thrown. The tree is killed with Process.Kill($true) where .NET has
        it (PowerShell 7), else child by child from Win32_Process
        (ParentProcessId), deepest first.

    .PARAMETER FilePath
        Program to run, for example C:\Windows\system32\msiexec.exe.

    .PARAMETER ArgumentList
        Arguments, one per element.

    .PARAMETER TimeoutSeconds
        Longest time the program may run (1 to 86400). The default, 540 s,
        stays below the runner's default time limit of one guest call (10
        minutes), so that the guest kills a hung program itself.

    .EXAMPLE
        Invoke-SrPlatformProcess -FilePath 'C:\Windows\system32\pnputil.exe' -ArgumentList '/add-driver', 'D:\vioserial\2k19\amd64\vioser.inf', '/install'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with exitCode, stdout and stderr.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $FilePath,

        [Parameter()]
        [AllowEmptyCollection()]
        [string[]]
        $ArgumentList = @(),

        [Parameter()]
        [ValidateRange(1, 86400)]
        [int]
        $TimeoutSeconds = 540
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $FilePath
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.CreateNoWindow = $true
    if ($null -ne $startInfo.PSObject.Properties['ArgumentList'])
    {
        foreach ($argument in $ArgumentList)
        {
            $startInfo.ArgumentList.Add($argument)
        }
    }
    else
    {
        $startInfo.Arguments = ConvertTo-SrCommandLine -Argument $ArgumentList
    }

    $process = [System.Diagnostics.Process]::Start($startInfo)
    $stdoutTask = $process.StandardOutput.ReadToEndAsync()
    $stderrTask = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000))
    {
        $killTree = $process.GetType().GetMethod('Kill', [type[]]@([bool]))
        if ($null -ne $killTree)
        {
            try { $process.Kill($true) } catch { Write-Verbose -Message ('Killing the process tree: {0}' -f $_.Exception.Message) }
        }
        else
        {
            # .NET Framework: find the descendants first (they are re-parented once the root dies), then kill deepest first.
            $all = @(Get-CimInstance -ClassName Win32_Process -ErrorAction SilentlyContinue)
            $tree = New-Object -TypeName System.Collections.Generic.List[int]
            $tree.Add($process.Id)
            for ($i = 0; $i -lt $tree.Count; $i++)
            {
                foreach ($child in @($all | Where-Object { [int]$_.ParentProcessId -eq $tree[$i] -and [int]$_.ProcessId -ne $tree[$i] }))
                {
                    if (-not $tree.Contains([int]$child.ProcessId)) { $tree.Add([int]$child.ProcessId) }
                }
            }
            for ($i = $tree.Count - 1; $i -ge 0; $i--)
            {
                try { [System.Diagnostics.Process]::GetProcessById($tree[$i]).Kill() } catch { Write-Verbose -Message ('Process {0}: {1}' -f $tree[$i], $_.Exception.Message) }
            }
        }
        $null = $process.WaitForExit(10000)
        $record = New-SrErrorRecord -ErrorId 'SrProcessTimeout' -Category OperationTimeout -Retryable $true -Property @{ filePath = $FilePath; timeoutSeconds = $TimeoutSeconds } -Message (
            "'{0}' did not exit within {1} s and was stopped with its child processes (a hung installer, or a dialog box waiting in a session where nobody can answer it). Nothing is known about what it did; retry later." -f $FilePath, $TimeoutSeconds)
        $PSCmdlet.ThrowTerminatingError($record)
    }
    $process.WaitForExit()

    [pscustomobject]@{
        exitCode = [int]$process.ExitCode
        stdout   = [string]$stdoutTask.Result
        stderr   = [string]$stderrTask.Result
    }
}
