function Get-SrPlatformService
{
    <#
    .SYNOPSIS
        Reads one Windows service (platform layer).

    .DESCRIPTION
        Looks a service up by its exact name (Windows compares service names
        without case; the name is not a wildcard). Returns $null when the
        service does not exist. The command line is read separately from the
        ImagePath registry value. The start type comes from
        Win32_Service.StartMode (Auto, Manual, Disabled, Boot, System; Auto is
        reported as Automatic), because ServiceController.StartType can come
        back empty (Windows PowerShell 5.1 on older Windows); Win32_Service is
        enumerated and filtered here in PowerShell, never in a WQL string.
        When Win32_Service cannot be read, ServiceController.StartType is the
        fallback, and an empty one is reported as $null (unknown).

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

    $startType = $null
    $wmi = @(Get-CimInstance -ClassName Win32_Service -Property Name, StartMode -ErrorAction SilentlyContinue |
            Where-Object { [string]$_.Name -eq [string]$service.Name }) | Select-Object -First 1
    if ($null -ne $wmi -and -not [string]::IsNullOrEmpty([string]$wmi.StartMode))
    {
        $startType = [string]$wmi.StartMode
        if ($startType -eq 'Auto')
        {
            $startType = 'Automatic'
        }
    }
    elseif (-not [string]::IsNullOrEmpty([string]$service.StartType))
    {
        $startType = [string]$service.StartType
    }

    [pscustomobject]@{
        name        = [string]$service.Name
        displayName = [string]$service.DisplayName
        status      = [string]$service.Status
        startType   = $startType
    }
}
