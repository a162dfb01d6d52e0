function Get-SrHostEnvironmentValue
{
    <#
    .SYNOPSIS
        Reads a credential or key path from a named environment variable.

    .DESCRIPTION
        The runner's requests carry only the NAMES of environment variables
        (usernameEnv, passwordEnv, keyFileEnv); the values are read here,
        inside pwsh, and never written to any output. An unset or empty
        variable is a 'config' error that names the variable, never a value.

    .PARAMETER Name
        Name of the environment variable.

    .EXAMPLE
        $user = Get-SrHostEnvironmentValue -Name 'WINRM_USER'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[A-Za-z_][A-Za-z0-9_]*$')]
        [string]
        $Name
    )

    $value = [System.Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($value))
    {
        throw (New-SrHostErrorRecord -Message ('environment variable {0} is empty' -f $Name) -Category config -ErrorId 'SrHostEnvironmentEmpty')
    }
    $value
}
