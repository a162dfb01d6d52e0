@{
    RootModule           = 'SnapReady.Guest.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c7d57-2a7e-4b55-9a43-7d0f2f1c6a11'
    Author               = 'snapready'
    Description          = 'Installs and configures the QEMU Guest Agent and its VSS provider so that a Windows guest on KVM is ready for application-consistent snapshots.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
        'Add-SrTrustedPublisher'
        'Disable-SrAgentLogging'
        'Get-SrGuestFact'
        'Install-SrAgent'
        'Install-SrVioSerialDriver'
        'Invoke-SrGuestCommand'
        'Lock-SrGuest'
        'Register-SrRebootOutcome'
        'Repair-SrAgent'
        'Repair-SrVssProvider'
        'Request-SrReboot'
        'Save-SrInstaller'
        'Set-SrAgentService'
        'Set-SrMarker'
        'Set-SrVssOption'
        'Unlock-SrGuest'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('qemu-ga', 'vss', 'kvm', 'snapshot') } }
}
