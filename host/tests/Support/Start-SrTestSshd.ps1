function Start-SrTestSshd
{
    <#
    .SYNOPSIS
        Starts a private sshd on 127.0.0.1 (scripts/sshd-test.sh) for the SSH
        remoting tests, or says why it cannot.

    .DESCRIPTION
        Checks what scripts/sshd-test.sh needs (Linux, /usr/sbin/sshd, the ssh
        client and bash), picks a free loopback port and starts an sshd whose
        files live in Directory: a generated host key and client key,
        known_hosts holding the host key, and an sshd_config whose powershell
        subsystem is the pinned pwsh.

        It does not throw when something is missing or the start fails: the
        answer's Problem then says why (naming what to install), and
        Test-SrTestSshdUnavailable turns that into a skipped test, or a
        failed one on CI. Stop-SrTestSshd stops the sshd.

    .PARAMETER Directory
        Folder for the sshd's files (keys, configuration, pid file, tmp). It
        is created. Its path may hold only letters, digits and _ . / -
        (sshd_config cannot quote it); $TestDrive paths do.

    .EXAMPLE
        $script:Sshd = Start-SrTestSshd -Directory (Join-Path $TestDrive 'sshd')

    .OUTPUTS
        System.Management.Automation.PSCustomObject with Directory, Script
        (scripts/sshd-test.sh), Port (the port chosen, $null when none was),
        Info (a hashtable of the key=value lines that the start printed: port,
        key, known_hosts, ssh_config, pwsh), Started ($true when the sshd
        runs) and Problem ($null when it runs, else why not).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [string] $Directory
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $sshd = [pscustomobject]@{
        Directory = $Directory
        Script    = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'scripts' 'sshd-test.sh'))
        Port      = $null
        Info      = @{}
        Started   = $false
        Problem   = $null
    }
    if (-not $IsLinux)
    {
        $sshd.Problem = 'the SSH loopback harness (scripts/sshd-test.sh) runs on Linux only'
    }
    elseif (-not (Test-Path -LiteralPath '/usr/sbin/sshd' -PathType Leaf))
    {
        $sshd.Problem = 'sshd is not installed (/usr/sbin/sshd is missing): apt-get install -y openssh-server'
    }
    elseif ($null -eq (Get-Command ssh -ErrorAction SilentlyContinue) -or $null -eq (Get-Command bash -ErrorAction SilentlyContinue))
    {
        $sshd.Problem = 'the ssh client or bash is not installed'
    }
    else
    {
        $sshd.Port = Get-SrTestFreePort
        $output = & bash $sshd.Script start $Directory $sshd.Port 2>&1
        if ($LASTEXITCODE -ne 0)
        {
            $sshd.Problem = 'scripts/sshd-test.sh start failed: ' + (@($output) -join ' ')
        }
        else
        {
            $sshd.Started = $true
            foreach ($line in @($output))
            {
                if ([string]$line -match '^(\w+)=(.*)$') { $sshd.Info[$Matches[1]] = $Matches[2] }
            }
        }
    }
    $sshd
}
