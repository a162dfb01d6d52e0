function Set-SrLabFault
{
    <#
    .SYNOPSIS
        Adds or removes faults of a lab guest.

    .DESCRIPTION
        Faults are stored in the state file and read by the simulated
        programs. Structural faults (NoVirtioSerialDevice, Wow64Agent,
        StaleVssRegistration, PublisherCertificateExpired) shape the guest at
        creation; pass them to New-SrLabGuest instead. Adding
        RebootPendingStuck also sets the CBS RebootPending key, which no
        reboot clears while the fault is there (removing the fault lets the
        next boot clear it). VssWriterFailed fails the System Writer
        (FAILED_AT_FREEZE, 0x800423F2) until the fault is removed.
        UploadCorrupted damages every file the runner uploads
        (Import-SrPlatformUpload appends a byte) until it is removed.
        StagingFolderHijacked makes every ...\snapready\installers folder a
        junction owned by a local user (S-1-5-21-...-1001) while it is set.
        StagedInstallerSwapped acts once, when it is added: a local user
        replaces every file in the folders snapready protected (state.folders)
        with a package of theirs (an agent MSI of version 666.6.6, unsigned),
        as if written between Save-SrInstaller and Install-SrAgent.

    .PARAMETER StatePath
        State file.

    .PARAMETER Fault
        Fault names.

    .PARAMETER Remove
        Remove instead of add.

    .EXAMPLE
        Set-SrLabFault -StatePath $path -Fault InstallerBusy1618 -Remove

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

        [Parameter(Mandatory = $true)]
        [ValidateSet('InstallerFails1603', 'InstallerBusy1618', 'AgentServiceStartFails', 'RebootNeverReturns', 'InstallerRequiresReboot', 'DriverRequiresReboot', 'RebootPendingStuck', 'VssWriterFailed', 'UploadCorrupted', 'StagingFolderHijacked', 'StagedInstallerSwapped')]
        [string[]]
        $Fault,

        [Parameter()]
        [switch]
        $Remove
    )

    $state = Read-SrLabState -Path $StatePath
    if ($Remove)
    {
        $state.faults = @(@($state.faults) | Where-Object { $Fault -notcontains $_ })
    }
    else
    {
        $state.faults = @(@($state.faults) + $Fault | Select-Object -Unique)
        if ($Fault -contains 'RebootPendingStuck')
        {
            Set-SrLabRegistryValue -State $state -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
        }
        if ($Fault -contains 'StagedInstallerSwapped' -and $state.Contains('folders'))
        {
            foreach ($id in @($state.files.Keys))
            {
                $cut = $id.LastIndexOfAny([char[]]@('\', '/'))
                if ($cut -gt 0 -and $state.folders.Contains($id.Substring(0, $cut)))
                {
                    $file = $state.files[$id]
                    $content = [string]$file.content -replace '^LAB-MSI\|qemu-ga\|[0-9.]+\|', 'LAB-MSI|qemu-ga|666.6.6|'
                    if ($content -eq [string]$file.content) { $content = $content + '|swapped' }
                    Set-SrLabFile -State $state -Path $file.path -Content $content
                }
            }
        }
    }
    Write-SrLabState -Path $StatePath -State $state
}
