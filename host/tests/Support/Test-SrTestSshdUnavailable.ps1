function Test-SrTestSshdUnavailable
{
    <#
    .SYNOPSIS
        Skips the calling test when the loopback sshd does not run, or fails
        it on CI.

    .DESCRIPTION
        Called first in every It block that needs the sshd of
        Start-SrTestSshd:

            if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }

        When the sshd runs it returns $false. When it does not: on CI
        (environment variable CI is 'true') it throws "SSH remoting cannot be
        tested on CI: <problem>", so the test fails and nothing passes by
        accident; elsewhere it marks the test skipped with the problem as the
        reason (Set-ItResult -Skipped, which ends the It block).

    .PARAMETER Sshd
        The answer of Start-SrTestSshd.

    .EXAMPLE
        It 'connects' {
            if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return }
            $Sshd.Port | Should -BeGreaterThan 0
        }

    .OUTPUTS
        System.Boolean
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)]
        [pscustomobject] $Sshd
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    if ($null -eq $Sshd.Problem) { return $false }
    if ($env:CI -eq 'true') { throw "SSH remoting cannot be tested on CI: $($Sshd.Problem)" }
    Set-ItResult -Skipped -Because $Sshd.Problem
    $true
}
