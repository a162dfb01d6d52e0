function Set-SrAgentService
{
    <#
    .SYNOPSIS
        Makes the agent service (QEMU-GA) start automatically and run.

    .DESCRIPTION
        Sets the start type to Automatic if it is not, and starts the service
        if it is not Running. No-op when both already hold. Throws when the
        service does not exist or does not reach Running. The VSS provider
        service is deliberately left alone: Manual and Stopped is its healthy
        resting state.

    .EXAMPLE
        Set-SrAgentService

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail and name.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $service = Get-SrAgentService
    if (-not $service.exists)
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrAgentServiceMissing' -Category ObjectNotFound -Message (
                    "The agent service '{0}' does not exist; install the agent first." -f $script:SrConst.AgentServiceName)))
    }

    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    if ($service.startType -ne 'Automatic')
    {
        Set-SrPlatformServiceStartType -Name $service.name -StartType Automatic
        $changes.Add(('start type {0} -> Automatic' -f $service.startType))
    }
    if ($service.status -ne 'Running')
    {
        try
        {
            Start-SrPlatformService -Name $service.name
        }
        catch
        {
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrAgentServiceStartFailed' -Category OperationStopped -Message (
                        "The agent service '{0}' could not be started: {1}" -f $service.name, $_.Exception.Message)))
        }
        $after = Get-SrPlatformService -Name $service.name
        if ($null -eq $after -or $after.status -ne 'Running')
        {
            $status = 'missing'
            if ($null -ne $after) { $status = $after.status }
            $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrAgentServiceStartFailed' -Category OperationStopped -Message (
                        "The agent service '{0}' is {1} after a start request." -f $service.name, $status)))
        }
        $changes.Add(('status {0} -> Running' -f $service.status))
    }

    if ($changes.Count -eq 0)
    {
        return New-SrResult -Changed $false -Detail ("Service '{0}' is Automatic and Running." -f $service.name) -Property @{ name = $service.name }
    }
    New-SrResult -Changed $true -Detail ("Service '{0}': {1}." -f $service.name, ($changes -join '; ')) -Property @{ name = $service.name }
}
