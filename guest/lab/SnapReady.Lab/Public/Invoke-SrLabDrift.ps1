function Invoke-SrLabDrift
{
    <#
    .SYNOPSIS
        Simulates configuration drift in a lab guest.

    .DESCRIPTION
        -StopAgentService stops QEMU-GA; -ManualStart sets it to Manual;
        -AddImagePathLogging appends ' -l C:\qga.log -v' to its ImagePath;
        -ConfLogging writes a qemu-ga.conf with logfile and verbose=true;
        -VssOption sets the VssOption DWORD; -PendingReboot creates the CBS
        RebootPending key; -RemoveAgentService deletes the QEMU-GA service
        (its key and run state), leaving the installed product as it is.

    .PARAMETER StatePath
        State file.

    .PARAMETER StopAgentService
        Stop the agent service.

    .PARAMETER ManualStart
        Set the agent service to Manual start.

    .PARAMETER AddImagePathLogging
        Append -l C:\qga.log -v to the agent ImagePath.

    .PARAMETER ConfLogging
        Write logging settings into the conf file.

    .PARAMETER ConfPath
        Conf file path for -ConfLogging.

    .PARAMETER VssOption
        VssOption value to set.

    .PARAMETER PendingReboot
        Create the CBS RebootPending key.

    .PARAMETER RemoveAgentService
        Delete the QEMU-GA service (sc.exe delete), keeping the product installed.

    .EXAMPLE
        Invoke-SrLabDrift -StatePath $path -StopAgentService -AddImagePathLogging

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $StatePath,

        [Parameter()]
        [switch]
        $StopAgentService,

        [Parameter()]
        [switch]
        $ManualStart,

        [Parameter()]
        [switch]
        $AddImagePathLogging,

        [Parameter()]
        [switch]
        $ConfLogging,

        [Parameter()]
        [string]
        $ConfPath = 'C:\Program Files\Qemu-ga\qemu-ga.conf',

        [Parameter()]
        [ValidateRange(0, 10)]
        [int]
        $VssOption = -1,

        [Parameter()]
        [switch]
        $PendingReboot,

        [Parameter()]
        [switch]
        $RemoveAgentService
    )

    $state = Read-SrLabState -Path $StatePath
    $agentKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\QEMU-GA'
    if ($StopAgentService)
    {
        $state.services['qemu-ga'] = [ordered]@{ status = 'Stopped' }
    }
    if ($ManualStart)
    {
        Set-SrLabRegistryValue -State $state -Path $agentKey -Name 'Start' -Data 3 -Type DWord
    }
    if ($AddImagePathLogging)
    {
        $imagePath = Get-SrLabRegistryValue -State $state -Path $agentKey -Name 'ImagePath'
        Set-SrLabRegistryValue -State $state -Path $agentKey -Name 'ImagePath' -Data ($imagePath + ' -l C:\qga.log -v') -Type ExpandString
    }
    if ($ConfLogging)
    {
        Set-SrLabFile -State $state -Path $ConfPath -Content ("# lab drift`n[general]`nlogfile=C:\qga-conf.log`nverbose=true`nretry-path=true")
    }
    if ($PSBoundParameters.ContainsKey('VssOption'))
    {
        Set-SrLabRegistryValue -State $state -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\QEMU Guest Agent VSS Provider' -Name 'VssOption' -Data $VssOption -Type DWord
    }
    if ($PendingReboot)
    {
        Set-SrLabRegistryValue -State $state -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
    }
    if ($RemoveAgentService)
    {
        Remove-SrLabRegistryKey -State $state -Path $agentKey
        $state.services.Remove('qemu-ga')
    }
    Write-SrLabState -Path $StatePath -State $state
}
