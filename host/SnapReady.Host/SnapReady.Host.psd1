@{
    RootModule           = 'SnapReady.Host.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '8c3f6a1e-4b2d-4e7a-9f15-2d6c8b0e7a34'
    Author               = 'snapready'
    Description          = 'Runner-side request channel of snapready: connects to guests (local lab, PowerShell remoting over SSH or WinRM), ships the pinned SnapReady.Guest module and runs its commands, answering one line of JSON per request.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @(
        'Invoke-SrHostBatch'
        'Invoke-SrHostRequest'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('qemu-ga', 'vss', 'remoting') } }
}
