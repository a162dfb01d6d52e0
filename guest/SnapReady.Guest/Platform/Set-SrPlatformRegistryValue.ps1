function Set-SrPlatformRegistryValue
{
    <#
    .SYNOPSIS
        Writes one registry value, creating the key if needed (platform layer).

    .DESCRIPTION
        Thin wrapper over New-Item / New-ItemProperty -Force with literal paths.

    .PARAMETER Path
        Registry key path in provider form.

    .PARAMETER Name
        Value name.

    .PARAMETER Value
        The data to write.

    .PARAMETER Type
        Registry value kind: String, ExpandString, DWord, QWord or MultiString.

    .EXAMPLE
        Set-SrPlatformRegistryValue -Path 'HKLM:\SOFTWARE\snapready' -Name 'DriftGeneration' -Value 3 -Type DWord

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
        [ValidateNotNullOrEmpty()]
        [string]
        $Name,

        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [object]
        $Value,

        [Parameter(Mandatory = $true)]
        [ValidateSet('String', 'ExpandString', 'DWord', 'QWord', 'MultiString')]
        [string]
        $Type
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    if (-not (Test-Path -LiteralPath $Path -PathType Container))
    {
        $null = New-Item -Path $Path -Force
    }
    $null = New-ItemProperty -LiteralPath $Path -Name $Name -Value $Value -PropertyType $Type -Force
}
