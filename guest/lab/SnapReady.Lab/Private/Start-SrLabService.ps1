function Start-SrLabService
{
    <#
    .SYNOPSIS
        Starts a lab service, honouring the AgentServiceStartFails fault.

    .DESCRIPTION
        Fails like Start-Service when the service does not exist, is
        Disabled, its executable is missing, or (fault AgentServiceStartFails)
        it is the agent service.

    .PARAMETER State
        The lab state.

    .PARAMETER Name
        Service name.

    .EXAMPLE
        Start-SrLabService -State $state -Name 'QEMU-GA'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )

    $service = Get-SrLabService -State $State -Name $Name
    if ($null -eq $service)
    {
        throw "Cannot find any service with service name '$Name'."
    }
    $failure = "Service '{0} ({1})' cannot be started due to the following error: Cannot start service {1} on computer '.'." -f $service.displayName, $service.name
    if ($service.startType -eq 'Disabled')
    {
        throw $failure
    }
    if ($service.name -eq 'QEMU-GA' -and @($State.faults) -contains 'AgentServiceStartFails')
    {
        throw $failure
    }
    $imagePath = Get-SrLabRegistryValue -State $State -Path ('HKLM:\SYSTEM\CurrentControlSet\Services\' + $service.name) -Name 'ImagePath'
    if ($null -ne $imagePath -and $imagePath -match '^"([^"]+)"|^(\S+\.exe)')
    {
        $exe = $Matches[1]
        if ([string]::IsNullOrEmpty($exe)) { $exe = $Matches[2] }
        if ($null -eq (Get-SrLabFile -State $State -Path $exe))
        {
            throw $failure
        }
    }
    $State.services[$service.name.ToLowerInvariant()] = [ordered]@{ status = 'Running' }
}
