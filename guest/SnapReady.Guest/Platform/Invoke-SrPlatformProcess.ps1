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
        map exit codes.

    .PARAMETER FilePath
        Program to run, for example C:\Windows\system32\msiexec.exe.

    .PARAMETER ArgumentList
        Arguments, one per element.

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
        $ArgumentList = @()
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
    $process.WaitForExit()

    [pscustomobject]@{
        exitCode = [int]$process.ExitCode
        stdout   = [string]$stdoutTask.Result
        stderr   = [string]$stderrTask.Result
    }
}
