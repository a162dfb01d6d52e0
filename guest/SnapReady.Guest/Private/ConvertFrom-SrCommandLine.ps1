function ConvertFrom-SrCommandLine
{
    <#
    .SYNOPSIS
        Splits a Windows command line (such as a service ImagePath) into tokens.

    .DESCRIPTION
        Follows the CommandLineToArgvW rules for whitespace, double quotes and
        backslashes before quotes. Each token keeps its raw text and position
        so that a command line can be rewritten without re-quoting what was
        kept. An unquoted executable path containing spaces (for example
        C:\Program Files\Qemu-ga\qemu-ga.exe -d) is joined back into one
        token up to the first token ending in .exe. Nothing is evaluated.

    .PARAMETER CommandLine
        The command line.

    .EXAMPLE
        ConvertFrom-SrCommandLine -CommandLine '"C:\Program Files\Qemu-ga\qemu-ga.exe" -d --retry-path'

    .OUTPUTS
        System.Management.Automation.PSCustomObject per token with value, raw,
        start and length.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $CommandLine
    )

    $tokens = New-Object -TypeName System.Collections.Generic.List[object]
    $text = $CommandLine
    $length = $text.Length
    $index = 0
    while ($index -lt $length)
    {
        while ($index -lt $length -and [char]::IsWhiteSpace($text[$index]))
        {
            $index++
        }
        if ($index -ge $length)
        {
            break
        }
        $start = $index
        $value = New-Object -TypeName System.Text.StringBuilder
        $inQuotes = $false
        while ($index -lt $length)
        {
            $character = $text[$index]
            if ($character -eq '\')
            {
                $runEnd = $index
                while ($runEnd -lt $length -and $text[$runEnd] -eq '\')
                {
                    $runEnd++
                }
                $count = $runEnd - $index
                if ($runEnd -lt $length -and $text[$runEnd] -eq '"')
                {
                    $null = $value.Append('\', [int][math]::Floor($count / 2))
                    if ($count % 2 -eq 1)
                    {
                        $null = $value.Append('"')
                        $index = $runEnd + 1
                    }
                    else
                    {
                        $index = $runEnd
                    }
                }
                else
                {
                    $null = $value.Append('\', $count)
                    $index = $runEnd
                }
                continue
            }
            if ($character -eq '"')
            {
                $inQuotes = -not $inQuotes
                $index++
                continue
            }
            if (-not $inQuotes -and [char]::IsWhiteSpace($character))
            {
                break
            }
            $null = $value.Append($character)
            $index++
        }
        $tokens.Add([pscustomobject]@{
                value  = $value.ToString()
                raw    = $text.Substring($start, $index - $start)
                start  = $start
                length = $index - $start
            })
    }

    if ($tokens.Count -gt 1 -and -not $tokens[0].raw.StartsWith('"') -and
        -not $tokens[0].value.EndsWith('.exe', [System.StringComparison]::OrdinalIgnoreCase))
    {
        $exeIndex = -1
        for ($i = 1; $i -lt $tokens.Count; $i++)
        {
            if ($tokens[$i].value.EndsWith('.exe', [System.StringComparison]::OrdinalIgnoreCase))
            {
                $exeIndex = $i
                break
            }
        }
        if ($exeIndex -gt 0)
        {
            $end = $tokens[$exeIndex].start + $tokens[$exeIndex].length
            $raw = $text.Substring(0, $end).TrimStart()
            $merged = [pscustomobject]@{
                value  = $raw
                raw    = $raw
                start  = $tokens[0].start
                length = $end - $tokens[0].start
            }
            $rest = @($tokens | Select-Object -Skip ($exeIndex + 1))
            $tokens = New-Object -TypeName System.Collections.Generic.List[object]
            $tokens.Add($merged)
            foreach ($token in $rest)
            {
                $tokens.Add($token)
            }
        }
    }

    foreach ($token in $tokens)
    {
        $token
    }
}
