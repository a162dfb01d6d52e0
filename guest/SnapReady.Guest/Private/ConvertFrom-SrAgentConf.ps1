function ConvertFrom-SrAgentConf
{
    <#
    .SYNOPSIS
        Parses the agent keyfile (qemu-ga.conf) for its logging settings.

    .DESCRIPTION
        Reads the [general] group of the GLib keyfile: a logfile key with a
        value turns file logging on, verbose=true (or 1) turns verbose logging
        on. Also builds the file content without those lines (every other
        line, comments and groups are kept unchanged). Keys and group names
        are case-sensitive, as in GLib.

    .PARAMETER Line
        The lines of the file.

    .EXAMPLE
        ConvertFrom-SrAgentConf -Line '[general]', 'logfile=C:\qga.log', 'verbose=true'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with logfile (string or
        $null), verbose (bool), loggingEnabled (bool), changed (bool: the
        cleaned lines differ) and cleanedLines.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [AllowEmptyString()]
        [string[]]
        $Line
    )

    $section = ''
    $logfile = $null
    $verbose = $false
    $changed = $false
    $cleaned = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($item in $Line)
    {
        $trimmed = $item.Trim()
        if ($trimmed.StartsWith('[') -and $trimmed.EndsWith(']'))
        {
            $section = $trimmed.Substring(1, $trimmed.Length - 2).Trim()
            $cleaned.Add($item)
            continue
        }
        if ($section -ceq 'general' -and $trimmed -cmatch '^(logfile|verbose)\s*=\s*(.*)$')
        {
            $key = $Matches[1]
            $value = $Matches[2].Trim()
            if ($key -ceq 'logfile')
            {
                if ($value.Length -gt 0)
                {
                    $logfile = $value
                }
                $changed = $true
                continue
            }
            if (@('true', '1') -contains $value.ToLowerInvariant())
            {
                $verbose = $true
                $changed = $true
                continue
            }
        }
        $cleaned.Add($item)
    }

    [pscustomobject]@{
        logfile        = $logfile
        verbose        = $verbose
        loggingEnabled = ($null -ne $logfile -or $verbose)
        changed        = $changed
        cleanedLines   = [string[]]$cleaned.ToArray()
    }
}
