function ConvertTo-SrCommandLine
{
    <#
    .SYNOPSIS
        Quotes an argument array into one Windows command line.

    .DESCRIPTION
        Used only by the Windows implementation of Invoke-SrPlatformProcess on
        the .NET Framework (Windows PowerShell 5.1), where
        ProcessStartInfo.ArgumentList does not exist. Follows the
        CommandLineToArgvW / MSVCRT rules: an argument with spaces, tabs or
        quotes is wrapped in double quotes, embedded quotes are escaped, and
        backslashes before a quote are doubled. Nothing here is ever run by a
        shell, so no shell metacharacter has a meaning.

    .PARAMETER Argument
        The arguments, one per element.

    .EXAMPLE
        ConvertTo-SrCommandLine -Argument '/i', 'C:\stage dir\qemu-ga-x86_64.msi', '/qn'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [AllowEmptyString()]
        [string[]]
        $Argument
    )

    $quoted = foreach ($item in $Argument)
    {
        if ($item.Length -gt 0 -and $item -notmatch '[\s"]')
        {
            $item
            continue
        }
        $builder = New-Object -TypeName System.Text.StringBuilder
        $null = $builder.Append('"')
        $backslashes = 0
        foreach ($character in $item.ToCharArray())
        {
            if ($character -eq '\')
            {
                $backslashes++
                continue
            }
            if ($character -eq '"')
            {
                $null = $builder.Append('\', (2 * $backslashes + 1)).Append('"')
            }
            else
            {
                $null = $builder.Append('\', $backslashes).Append($character)
            }
            $backslashes = 0
        }
        $null = $builder.Append('\', (2 * $backslashes)).Append('"')
        $builder.ToString()
    }
    return (@($quoted) -join ' ')
}
