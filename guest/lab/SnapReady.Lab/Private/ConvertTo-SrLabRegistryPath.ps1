function ConvertTo-SrLabRegistryPath
{
    <#
    .SYNOPSIS
        Canonicalises a registry key path for the lab.

    .DESCRIPTION
        Accepts HKLM:\X, HKLM\X, HKEY_LOCAL_MACHINE\X (and the same for
        HKCR, mapped to HKLM:\SOFTWARE\Classes) and returns HKLM:\X without a
        trailing backslash.

    .PARAMETER Path
        Registry key path.

    .EXAMPLE
        ConvertTo-SrLabRegistryPath -Path 'HKEY_LOCAL_MACHINE\SOFTWARE\snapready'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Path
    )

    $text = $Path.TrimEnd('\')
    if ($text -match '^(HKLM:?|HKEY_LOCAL_MACHINE)(\\(?<rest>.*))?$')
    {
        return ('HKLM:\' + $Matches['rest']).TrimEnd('\')
    }
    if ($text -match '^(HKCR:?|HKEY_CLASSES_ROOT)(\\(?<rest>.*))?$')
    {
        return ('HKLM:\SOFTWARE\Classes\' + $Matches['rest']).TrimEnd('\')
    }
    throw "The lab only simulates HKLM (and HKCR); got registry path '$Path'."
}
