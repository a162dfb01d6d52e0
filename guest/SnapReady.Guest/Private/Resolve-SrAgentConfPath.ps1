function Resolve-SrAgentConfPath
{
    <#
    .SYNOPSIS
        Decides which qemu-ga.conf the agent reads.

    .DESCRIPTION
        The agent reads the file named by -c/--config in its service command
        line (QEMU 9.1 and later) instead of its default conf file; that file
        is the one whose logging settings count. Otherwise it is -ConfPath
        (agent.confPath of the inventory, by default
        C:\Program Files\Qemu-ga\qemu-ga.conf). Environment variables in the
        -c value (the ImagePath is REG_EXPAND_SZ) are expanded. The QGA_CONF
        environment variable of the service is not looked at.

    .PARAMETER ConfPath
        The declared (or default) conf path.

    .PARAMETER Config
        The -c/--config value of the ImagePath (ConvertFrom-SrAgentImagePath),
        or $null.

    .EXAMPLE
        Resolve-SrAgentConfPath -ConfPath 'C:\Program Files\Qemu-ga\qemu-ga.conf' -Config 'D:\qga\agent.conf'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $ConfPath,

        [Parameter()]
        [AllowNull()]
        [AllowEmptyString()]
        [string]
        $Config
    )

    if ([string]::IsNullOrEmpty($Config))
    {
        return $ConfPath
    }
    if ($Config.Contains('%'))
    {
        return [System.Environment]::ExpandEnvironmentVariables($Config)
    }
    $Config
}
