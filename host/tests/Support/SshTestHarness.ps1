# Dot-sourced in BeforeAll by the tests over a real loopback sshd
# (HostBatchSsh.Tests.ps1, SshRemoting.Tests.ps1): loads the harness, one
# function a file.
#
#   BeforeAll {
#       . (Join-Path $PSScriptRoot 'Support' 'SshTestHarness.ps1')
#       $script:Sshd = Start-SrTestSshd -Directory (Join-Path $TestDrive 'sshd')
#       if ($Sshd.Started) { Set-SrTestSshEnvironment -Sshd $Sshd -Prefix 'SR_X' }
#   }
#   AfterAll { Stop-SrTestSshd -Sshd $Sshd }
#   It '...' { if (Test-SrTestSshdUnavailable -Sshd $Sshd) { return } ... }
#
# Outside CI a missing sshd, ssh or bash skips each test with the reason; on
# CI (CI=true) it fails them.
. (Join-Path $PSScriptRoot 'Get-SrTestFreePort.ps1')
. (Join-Path $PSScriptRoot 'Start-SrTestSshd.ps1')
. (Join-Path $PSScriptRoot 'Stop-SrTestSshd.ps1')
. (Join-Path $PSScriptRoot 'Test-SrTestSshdUnavailable.ps1')
. (Join-Path $PSScriptRoot 'Set-SrTestSshEnvironment.ps1')
. (Join-Path $PSScriptRoot 'New-SrTestSshConnectRequest.ps1')
