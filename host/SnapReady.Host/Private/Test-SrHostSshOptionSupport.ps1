function Test-SrHostSshOptionSupport
{
    <#
    .SYNOPSIS
        Tells whether this pwsh's New-PSSession can pass options to ssh.

    .DESCRIPTION
        The SSH transports run New-PSSession with -Options (BatchMode=yes, so
        that ssh never prompts, and the known-hosts options) and
        -ConnectingTimeout. -Options exists from PowerShell 7.3. The check
        looks at the cmdlet's parameters, not at a version number, so it holds
        for any build.

    .EXAMPLE
        if (-not (Test-SrHostSshOptionSupport)) { throw 'PowerShell 7.3 or later is needed for SSH' }

    .OUTPUTS
        System.Boolean.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param ()

    $command = Get-Command -Name 'New-PSSession' -CommandType Cmdlet -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $command)
    {
        return $false
    }
    $command.Parameters.ContainsKey('Options') -and $command.Parameters.ContainsKey('ConnectingTimeout')
}
