function Set-SrTestSshEnvironment
{
    <#
    .SYNOPSIS
        Sets the environment variables that connect requests to the loopback
        sshd name for the user and the key file.

    .DESCRIPTION
        Connect requests carry the names of environment variables, never the
        values (usernameEnv, keyFileEnv). This sets three of them, named
        after Prefix:

            <Prefix>_USER       this user, whom the sshd accepts
            <Prefix>_KEY        the client key the sshd accepts
            <Prefix>_WRONG_KEY  a key the sshd refuses (its own host key)

    .PARAMETER Sshd
        The answer of Start-SrTestSshd, after the sshd started.

    .PARAMETER Prefix
        Start of the variable names, e.g. SR_SSH_TEST.

    .EXAMPLE
        Set-SrTestSshEnvironment -Sshd $Sshd -Prefix 'SR_SSH_TEST'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory)]
        [pscustomobject] $Sshd,

        [Parameter(Mandatory)]
        [ValidatePattern('^[A-Z][A-Z0-9_]*$')]
        [string] $Prefix
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    [Environment]::SetEnvironmentVariable("$($Prefix)_USER", [Environment]::UserName)
    [Environment]::SetEnvironmentVariable("$($Prefix)_KEY", $Sshd.Info['key'])
    [Environment]::SetEnvironmentVariable("$($Prefix)_WRONG_KEY", (Join-Path $Sshd.Directory 'ssh_host_ed25519_key'))
}
