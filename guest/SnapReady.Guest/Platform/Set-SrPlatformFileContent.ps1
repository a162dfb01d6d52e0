function Set-SrPlatformFileContent
{
    <#
    .SYNOPSIS
        Writes a text file as UTF-8 lines without a byte order mark (platform layer).

    .DESCRIPTION
        The agent's keyfile parser expects UTF-8; a BOM written by
        Set-Content -Encoding UTF8 on Windows PowerShell 5.1 could break the
        first line, so .NET is used directly.

    .PARAMETER Path
        File path.

    .PARAMETER Value
        Lines to write.

    .EXAMPLE
        Set-SrPlatformFileContent -Path 'C:\Program Files\Qemu-ga\qemu-ga.conf' -Value '[general]', 'verbose=false'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [AllowEmptyString()]
        [string[]]
        $Value
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    [System.IO.File]::WriteAllLines($Path, $Value, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
}
