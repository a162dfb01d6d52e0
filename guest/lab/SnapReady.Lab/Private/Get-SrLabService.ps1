function Get-SrLabService
{
    <#
    .SYNOPSIS
        Reads a lab service from its registry key and runtime status.

    .DESCRIPTION
        As on Windows, a service's configuration lives under
        HKLM\SYSTEM\CurrentControlSet\Services\<name> (Start: 2 Automatic,
        3 Manual, 4 Disabled; ImagePath; DisplayName) and its name is
        compared without case. The runtime status is kept in state.services.

    .PARAMETER State
        The lab state.

    .PARAMETER Name
        Service name.

    .EXAMPLE
        Get-SrLabService -State $state -Name 'qemu-ga'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with name, displayName,
        status and startType, or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )

    $keyId = ('HKLM:\SYSTEM\CurrentControlSet\Services\' + $Name).ToLowerInvariant()
    if (-not $State.registry.Contains($keyId))
    {
        return $null
    }
    $key = $State.registry[$keyId]
    if (-not $key.values.Contains('start'))
    {
        return $null
    }
    $startType = switch ([int]$key.values['start'].data)
    {
        2 { 'Automatic' }
        3 { 'Manual' }
        4 { 'Disabled' }
        default { 'Boot' }
    }
    $displayName = $null
    if ($key.values.Contains('displayname'))
    {
        $displayName = [string]$key.values['displayname'].data
    }
    $serviceName = $key.path.Split('\')[-1]
    $status = 'Stopped'
    if ($State.services.Contains($serviceName.ToLowerInvariant()))
    {
        $status = [string]$State.services[$serviceName.ToLowerInvariant()].status
    }
    [pscustomobject]@{
        name        = $serviceName
        displayName = $displayName
        status      = $status
        startType   = $startType
    }
}
