@{
    RootModule           = 'SnapReady.Lab.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '0d9a4c33-8a55-4f3e-b2c1-5e8f6d3b7a20'
    Author               = 'snapready'
    Description          = 'Simulated Windows guests (one JSON state file each) implementing the SnapReady.Guest platform layer, for tests only.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @(
        'Add-SrLabFile'
        'Disable-SrLab'
        'Enable-SrLab'
        'Get-SrLabState'
        'Invoke-SrLabDrift'
        'New-SrLabGuest'
        'Set-SrLabFault'
        'Set-SrLabOption'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
