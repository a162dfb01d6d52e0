function Set-SrRebootRequested
{
    <#
    .SYNOPSIS
        Records in the marker key that snapready needs or requested a reboot.

    .DESCRIPTION
        Writes RebootRequestedBootId (the current boot id, created here if
        this boot has none yet), RebootRequestedBootTime (the current last
        boot time, the fallback for readers without a boot id),
        RebootRequestedReason and RebootRequestedBy under
        HKLM\SOFTWARE\snapready. The request is pending while the guest is
        in the same boot (Test-SrSameBoot), so it clears itself after the
        next reboot; no clean-up step is needed. Get-SrGuestFact reports it as
        SNAPREADY_REQUESTED, and the requesters as pendingReboot.requestedBy.
        RebootRequestedBy is a comma-separated list (a plain string, so that
        no empty multi-string is ever written): the requesters of the current
        boot accumulate (agent, then driver: both), while a request from an
        earlier boot is replaced.

    .PARAMETER Reason
        Short reason, for example 'msiexec exit code 3010'.

    .PARAMETER RequestedBy
        Which primitive asks: agent (Install-SrAgent), driver
        (Install-SrVioSerialDriver), reboot (Request-SrReboot) or other.

    .EXAMPLE
        Set-SrRebootRequested -Reason 'msiexec exit code 3010' -RequestedBy agent

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
        $Reason,

        [Parameter()]
        [ValidateSet('agent', 'driver', 'reboot', 'other')]
        [string]
        $RequestedBy = 'other'
    )

    $os = Get-SrPlatformOs
    $bootTime = [string]$os.lastBootUpTime
    $key = $script:SrConst.MarkerKey
    $requesters = New-Object -TypeName System.Collections.Generic.List[string]
    $bootId = Get-SrBootId -Create
    $recordedId = Get-SrPlatformRegistryValue -Path $key -Name 'RebootRequestedBootId'
    $recordedBoot = Get-SrPlatformRegistryValue -Path $key -Name 'RebootRequestedBootTime'
    if (Test-SrSameBoot -RecordedBootId ([string]$recordedId) -RecordedBootTime ([string]$recordedBoot) -BootId $bootId -BootTime $bootTime)
    {
        $recorded = Get-SrPlatformRegistryValue -Path $key -Name 'RebootRequestedBy'
        if ($null -ne $recorded)
        {
            foreach ($name in ([string]$recorded).Split(','))
            {
                if (-not [string]::IsNullOrEmpty($name) -and -not $requesters.Contains($name)) { $requesters.Add($name) }
            }
        }
    }
    if (-not $requesters.Contains($RequestedBy)) { $requesters.Add($RequestedBy) }
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootRequestedBootId' -Value $bootId -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootRequestedBootTime' -Value $bootTime -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootRequestedReason' -Value $Reason -Type String
    Set-SrPlatformRegistryValue -Path $key -Name 'RebootRequestedBy' -Value ($requesters.ToArray() -join ',') -Type String
}
