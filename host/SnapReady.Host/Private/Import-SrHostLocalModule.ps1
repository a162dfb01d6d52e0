function Import-SrHostLocalModule
{
    <#
    .SYNOPSIS
        Imports SnapReady.Guest (and SnapReady.Lab) into this pwsh, once.

    .DESCRIPTION
        For the local and lab transports. A module already imported from the same
        folder is kept; one imported from another folder is replaced. The
        import is global so that SnapReady.Lab's Enable-SrLab finds
        SnapReady.Guest with Get-Module. Returns the guest module.

    .PARAMETER GuestModulePath
        Folder of SnapReady.Guest.

    .PARAMETER LabModulePath
        Folder of SnapReady.Lab, or empty for no lab.

    .PARAMETER Force
        Import the modules again even when they are loaded from the same
        folders (after their files were checked against the pinned hash).

    .EXAMPLE
        $guest = Import-SrHostLocalModule -GuestModulePath '/repo/guest/SnapReady.Guest' -LabModulePath '/repo/guest/lab/SnapReady.Lab'

    .OUTPUTS
        System.Management.Automation.PSModuleInfo.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSModuleInfo])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $GuestModulePath,

        [Parameter()]
        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $LabModulePath,

        [Parameter()]
        [switch]
        $Force
    )

    $reload = $Force.IsPresent
    $import = {
        param([string] $Folder, [string] $Name)
        $base = [System.IO.Path]::GetFullPath($Folder).TrimEnd([System.IO.Path]::DirectorySeparatorChar)
        $loaded = @(Get-Module -Name $Name)
        if (-not $reload -and $loaded.Count -eq 1 -and $loaded[0].ModuleBase.TrimEnd([System.IO.Path]::DirectorySeparatorChar) -eq $base)
        {
            return $loaded[0]
        }
        foreach ($module in $loaded)
        {
            Remove-Module -ModuleInfo $module -Force
        }
        Import-Module -Name (Join-Path -Path $base -ChildPath ($Name + '.psd1')) -Global -Force -PassThru -ErrorAction Stop -WarningAction SilentlyContinue
    }
    $guest = & $import $GuestModulePath $script:SrHostConst.GuestModuleName
    if (-not [string]::IsNullOrEmpty($LabModulePath))
    {
        $null = & $import $LabModulePath $script:SrHostConst.LabModuleName
    }
    $guest
}
