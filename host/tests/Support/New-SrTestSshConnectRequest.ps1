function New-SrTestSshConnectRequest
{
    <#
    .SYNOPSIS
        Builds a connect request (Invoke-SrHostRequest) to the loopback sshd.

    .DESCRIPTION
        Returns the request as a hashtable, before base64 JSON encoding:
        op connect to 127.0.0.1 at Port, with the sshd's known_hosts file, a
        timeoutMs of 60 s, the user and key file named by environment
        variables (see Set-SrTestSshEnvironment) and the guest module to ship
        with its pinned hash. For transport lab-ssh the caller adds labState
        and labModulePath.

    .PARAMETER Sshd
        The answer of Start-SrTestSshd, after the sshd started.

    .PARAMETER Id
        The connection id.

    .PARAMETER UsernameEnv
        Name of the environment variable holding the user name.

    .PARAMETER KeyFileEnv
        Name of the environment variable holding the private key file.

    .PARAMETER GuestModulePath
        Folder of the SnapReady.Guest module to ship.

    .PARAMETER PinnedGuestCodeHash
        Hash the guest module must have (Get-SrHostModuleHash).

    .PARAMETER Transport
        ssh (the guest module only) or lab-ssh (also a lab guest). Default ssh.

    .PARAMETER Port
        Port to connect to. Default: the sshd's port.

    .EXAMPLE
        $request = New-SrTestSshConnectRequest -Sshd $Sshd -Id 'vm' -UsernameEnv 'SR_SSH_TEST_USER' -KeyFileEnv 'SR_SSH_TEST_KEY' -GuestModulePath $GuestPath -PinnedGuestCodeHash $Hash

    .OUTPUTS
        System.Collections.Hashtable
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [pscustomobject] $Sshd,

        [Parameter(Mandatory)]
        [string] $Id,

        [Parameter(Mandatory)]
        [string] $UsernameEnv,

        [Parameter(Mandatory)]
        [string] $KeyFileEnv,

        [Parameter(Mandatory)]
        [string] $GuestModulePath,

        [Parameter(Mandatory)]
        [string] $PinnedGuestCodeHash,

        [ValidateSet('ssh', 'lab-ssh')]
        [string] $Transport = 'ssh',

        [int] $Port = $Sshd.Port
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    @{
        op = 'connect'; id = $Id; transport = $Transport; host = '127.0.0.1'; port = $Port; timeoutMs = 60000
        usernameEnv = $UsernameEnv; keyFileEnv = $KeyFileEnv; knownHostsFile = $Sshd.Info['known_hosts']
        guestModulePath = $GuestModulePath; pinnedGuestCodeHash = $PinnedGuestCodeHash
    }
}
