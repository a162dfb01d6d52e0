function Stop-SrTestSshd
{
    <#
    .SYNOPSIS
        Stops the sshd that Start-SrTestSshd started.

    .DESCRIPTION
        Runs scripts/sshd-test.sh stop on the sshd's folder when the sshd was
        started; does nothing when it was not (or when Sshd is $null because
        the setup failed before starting it). Its output is discarded.

    .PARAMETER Sshd
        The answer of Start-SrTestSshd.

    .EXAMPLE
        AfterAll { Stop-SrTestSshd -Sshd $Sshd }

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory)]
        [AllowNull()]
        [pscustomobject] $Sshd
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    if ($null -ne $Sshd -and $Sshd.Started)
    {
        $null = & bash $Sshd.Script stop $Sshd.Directory 2>&1
    }
}
