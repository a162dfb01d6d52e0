function Get-SrHostWSManCapability
{
    <#
    .SYNOPSIS
        Tells whether this pwsh can open WinRM (WSMan) sessions.

    .DESCRIPTION
        The answer of the host module's capabilities op, asked once per run
        before any guest is contacted when a VM uses transport winrm and the
        runner is not Windows.

        Windows PowerShell and PowerShell 7 on Windows have WSMan built in:
        available, without probing. Elsewhere PowerShell 7 has no WSMan
        client of its own (PowerShell/PowerShell#17390); the community module
        PSWSMan installs one (Install-WSMan, as root, copies libpsrpclient and
        libmi into $PSHOME). Invoke-SrHostWSManProbe shows whether the library
        loads; the judgement rests on .NET exception types, not on English
        message text. When it does not load, the reason names what failed and,
        when the PSWSMan module is installed but its libraries are not in
        place, says to run Install-WSMan as root.

        A library that loads does not prove that authentication will work:
        Negotiate/NTLM from Linux also needs gss-ntlmssp, and Kerberos needs
        krb5 and a ticket. Those show at connect time (category auth).

    .PARAMETER TimeoutMilliseconds
        Time limit of the probe.

    .EXAMPLE
        (Get-SrHostWSManCapability).available

    .OUTPUTS
        System.Collections.Specialized.OrderedDictionary: available (bool) and
        reason (string).
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

    # $IsWindows does not exist in Windows PowerShell 5.1 (Desktop), which is Windows only.
    if ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)
    {
        return [ordered]@{ available = $true; reason = 'Windows: WSMan is part of the operating system' }
    }
    $platform = if ($IsMacOS) { 'macOS' } else { 'Linux' }
    $probe = Invoke-SrHostWSManProbe -TimeoutMilliseconds $TimeoutMilliseconds
    if ($probe.clientLoaded)
    {
        return [ordered]@{ available = $true; reason = ('the WSMan client library loads in PowerShell {0} on {1} (probe outcome: {2})' -f $PSVersionTable.PSVersion, $platform, $probe.exceptionType) }
    }
    $reason = 'PowerShell {0} on {1} has no working WSMan client: the WSMan client library (libpsrpclient, with libmi) cannot be loaded ({2})' -f $PSVersionTable.PSVersion, $platform, $probe.exceptionType
    if ($null -ne (Get-Module -ListAvailable -Name 'PSWSMan' -ErrorAction SilentlyContinue | Select-Object -First 1))
    {
        $reason += '; the PSWSMan module is installed, but its libraries are not in place: with PSWSMan 2.x run Install-WSMan as root (PSWSMan 3.x works only in processes that run Enable-PSWSMan, which snapready does not)'
    }
    [ordered]@{ available = $false; reason = $reason }
}
