function ConvertFrom-SrAgentImagePath
{
    <#
    .SYNOPSIS
        Parses the agent service command line for its logging options.

    .DESCRIPTION
        Finds -l/--logfile (as '-l X', '-lX', '--logfile X', '--logfile=X')
        and -v/--verbose (also inside a cluster such as -dv) in a QEMU-GA
        ImagePath, and builds the same command line without them. It also
        reports the conf file given with -c/--config ('-c X', '-cX',
        '--config X', '--config=X'; the last one wins), which the agent reads
        instead of its default qemu-ga.conf. The
        executable token and every other option (-d, --retry-path, -c X, ...)
        keep their original raw text, so a quoted exe path stays quoted.
        Options that take a value (m p l f b a s t c and their long forms)
        consume the next token, so a value that looks like -v is not mistaken
        for an option.

    .PARAMETER ImagePath
        The ImagePath value.

    .EXAMPLE
        ConvertFrom-SrAgentImagePath -ImagePath '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d -l C:\qga.log -v'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with exePath, logfile
        (string or $null), verbose (bool), loggingEnabled (bool),
        cleanedImagePath and config (the -c/--config value, or $null).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $ImagePath
    )

    $tokens = @(ConvertFrom-SrCommandLine -CommandLine $ImagePath)
    $shortWithValue = 'mpfbastc'
    $longWithValue = @('method', 'path', 'pidfile', 'block-rpcs', 'blacklist', 'allow-rpcs', 'service', 'statedir', 'config')
    $logfile = $null
    $verbose = $false
    $config = $null
    $kept = New-Object -TypeName System.Collections.Generic.List[string]
    $exePath = $null
    $exeRaw = ''
    if ($tokens.Count -gt 0)
    {
        $exePath = $tokens[0].value
        $exeRaw = $tokens[0].raw
    }

    $index = 1
    while ($index -lt $tokens.Count)
    {
        $value = $tokens[$index].value
        $raw = $tokens[$index].raw
        $next = $null
        if ($index + 1 -lt $tokens.Count)
        {
            $next = $tokens[$index + 1]
        }

        if ($value -ceq '--verbose')
        {
            $verbose = $true
            $index++
            continue
        }
        if ($value -ceq '--logfile')
        {
            $logfile = ''
            if ($null -ne $next)
            {
                $logfile = $next.value
            }
            $index += 2
            continue
        }
        if ($value.StartsWith('--logfile=', [System.StringComparison]::Ordinal))
        {
            $logfile = $value.Substring('--logfile='.Length)
            $index++
            continue
        }
        if ($value.StartsWith('--config=', [System.StringComparison]::Ordinal))
        {
            $config = $value.Substring('--config='.Length)
        }
        if ($value -ceq '--config' -and $null -ne $next)
        {
            $config = $next.value
        }
        if ($value.StartsWith('--', [System.StringComparison]::Ordinal))
        {
            $kept.Add($raw)
            $optionName = $value.Substring(2)
            if ($longWithValue -ccontains $optionName -and $null -ne $next)
            {
                $kept.Add($next.raw)
                $index += 2
            }
            else
            {
                $index++
            }
            continue
        }
        if ($value.Length -gt 1 -and $value[0] -eq '-')
        {
            $cluster = $value.Substring(1)
            $newCluster = New-Object -TypeName System.Text.StringBuilder
            $consumeNext = $false
            $keepNext = $false
            $position = 0
            while ($position -lt $cluster.Length)
            {
                $option = $cluster[$position]
                $rest = $cluster.Substring($position + 1)
                if ($option -ceq 'v')
                {
                    $verbose = $true
                    $position++
                    continue
                }
                if ($option -ceq 'l')
                {
                    if ($rest.Length -gt 0)
                    {
                        $logfile = $rest
                    }
                    else
                    {
                        $logfile = ''
                        if ($null -ne $next)
                        {
                            $logfile = $next.value
                            $consumeNext = $true
                        }
                    }
                    break
                }
                if ($shortWithValue.IndexOf($option) -ge 0)
                {
                    if ($option -ceq 'c')
                    {
                        if ($rest.Length -gt 0) { $config = $rest }
                        elseif ($null -ne $next) { $config = $next.value }
                    }
                    $null = $newCluster.Append($cluster.Substring($position))
                    if ($rest.Length -eq 0)
                    {
                        $keepNext = $true
                    }
                    break
                }
                if ($option -ceq 'F')
                {
                    $null = $newCluster.Append($cluster.Substring($position))
                    break
                }
                $null = $newCluster.Append($option)
                $position++
            }
            if ($newCluster.Length -gt 0)
            {
                if ($newCluster.ToString() -ceq $cluster)
                {
                    $kept.Add($raw)
                }
                else
                {
                    $kept.Add('-' + $newCluster.ToString())
                }
            }
            if (($consumeNext -or $keepNext) -and $null -ne $next)
            {
                if ($keepNext)
                {
                    $kept.Add($next.raw)
                }
                $index += 2
            }
            else
            {
                $index++
            }
            continue
        }
        $kept.Add($raw)
        $index++
    }

    $parts = @($exeRaw) + @($kept)
    [pscustomobject]@{
        exePath          = $exePath
        logfile          = $logfile
        verbose          = $verbose
        loggingEnabled   = ($null -ne $logfile -or $verbose)
        cleanedImagePath = (@($parts | Where-Object { $_ -ne '' }) -join ' ')
        config           = $config
    }
}
