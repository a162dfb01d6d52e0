function Set-SrVssOption
{
    <#
    .SYNOPSIS
        Declares the backup type the QEMU VSS provider requests (VssOption).

    .DESCRIPTION
        Writes the DWORD VssOption under
        HKLM\SYSTEM\CurrentControlSet\Services\QEMU Guest Agent VSS Provider:
        1 FULL (default), 2 INCREMENTAL, 3 DIFFERENTIAL, 4 LOG, 5 COPY
        (needed when an in-guest backup chain must not be disturbed). An
        agent upgrade resets it to 1, so it is re-applied after every
        install. No-op when the value is already equal. Throws when the VSS
        provider service key does not exist (agent not installed), rather than
        creating a service key.

    .PARAMETER Value
        1 to 5.

    .EXAMPLE
        Set-SrVssOption -Value 5

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, previousValue and value.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateRange(1, 5)]
        [int]
        $Value
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $key = $script:SrConst.VssServiceKey
    if (-not (Test-SrPlatformRegistryKey -Path $key))
    {
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrVssServiceMissing' -Category ObjectNotFound -Message (
                    "The registry key '{0}' does not exist: the QEMU Guest Agent VSS Provider service is not installed." -f $key)))
    }
    $current = Get-SrPlatformRegistryValue -Path $key -Name 'VssOption'
    if ($null -ne $current -and [int]$current -eq $Value)
    {
        return New-SrResult -Changed $false -Detail ('VssOption is already {0}.' -f $Value) -Property @{ previousValue = [int]$current; value = $Value }
    }
    Set-SrPlatformRegistryValue -Path $key -Name 'VssOption' -Value $Value -Type DWord
    $previous = $null
    if ($null -ne $current) { $previous = [int]$current }
    New-SrResult -Changed $true -Detail ('VssOption set from {0} to {1}.' -f $(if ($null -eq $previous) { 'absent' } else { $previous }), $Value) -Property @{ previousValue = $previous; value = $Value }
}
