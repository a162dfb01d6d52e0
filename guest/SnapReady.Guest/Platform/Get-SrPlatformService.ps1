function Get-SrPlatformService
{
    <#
    .SYNOPSIS
        Reads one Windows service (platform layer).

    .DESCRIPTION
        Looks a service up by its exact name (Windows compares service names
        without case; the name is not a wildcard). Returns $null when the
        service does not exist. The command line is read separately from the
        ImagePath registry value.

    .PARAMETER Name
        Service name, for example QEMU-GA.

    .EXAMPLE
        Get-SrPlatformService -Name 'QEMU-GA'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with name, displayName,
        status and startType, or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Name
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $service = Get-Service -Name ([System.Management.Automation.WildcardPattern]::Escape($Name)) -ErrorAction SilentlyContinue |
        Select-Object -First 1
    if ($null -eq $service)
    {
        return $null
    }

    [pscustomobject]@{
        name        = [string]$service.Name
        displayName = [string]$service.DisplayName
        status      = [string]$service.Status
        startType   = [string]$service.StartType
    }
}
