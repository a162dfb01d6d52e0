function Get-SrTestFreePort
{
    <#
    .SYNOPSIS
        Returns a TCP port on 127.0.0.1 that nobody listens on right now.

    .DESCRIPTION
        Opens a listener on port 0 of the loopback address, reads the port
        the system chose and closes the listener again. The SSH tests use it
        for the loopback sshd (Start-SrTestSshd) and as a closed port, where
        a connect is refused.

    .EXAMPLE
        $closed = Get-SrTestFreePort

    .OUTPUTS
        System.Int32
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param()

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try
    {
        $listener.LocalEndpoint.Port
    }
    finally
    {
        $listener.Stop()
    }
}
