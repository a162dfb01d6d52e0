function Assert-SrNativeProcess
{
    <#
    .SYNOPSIS
        Refuses a 32-bit PowerShell on 64-bit Windows.

    .DESCRIPTION
        A 32-bit (WOW64) PowerShell on 64-bit Windows sees the 32-bit view of
        the registry (HKLM\SOFTWARE is redirected to WOW6432Node) and of
        System32 (redirected to SysWOW64): the facts would describe the wrong
        registry and the primitives would run the 32-bit msiexec and pnputil.
        The module therefore refuses to load there, with the terminating
        error SrWow64Process. Run the 64-bit PowerShell
        (C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe or the
        64-bit PowerShell 7) instead. The two flags default to the running
        process ([Environment]::Is64BitOperatingSystem and Is64BitProcess);
        tests pass them.

    .PARAMETER Is64BitOperatingSystem
        Whether Windows is 64-bit.

    .PARAMETER Is64BitProcess
        Whether this PowerShell process is 64-bit.

    .EXAMPLE
        Assert-SrNativeProcess

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter()]
        [bool]
        $Is64BitOperatingSystem = [System.Environment]::Is64BitOperatingSystem,

        [Parameter()]
        [bool]
        $Is64BitProcess = [System.Environment]::Is64BitProcess
    )

    if ($Is64BitOperatingSystem -and -not $Is64BitProcess)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrWow64Process' -Category NotImplemented -Message (
                    'SnapReady.Guest runs in a 32-bit PowerShell on 64-bit Windows, where the registry and System32 are redirected to their 32-bit views (WOW6432Node, SysWOW64): the facts and changes would be wrong. Use the 64-bit PowerShell (C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe, or the 64-bit PowerShell 7); check the remoting endpoint (for example Microsoft.PowerShell rather than Microsoft.PowerShell32).')))
    }
}
