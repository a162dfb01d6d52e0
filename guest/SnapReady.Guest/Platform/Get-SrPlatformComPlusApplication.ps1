function Get-SrPlatformComPlusApplication
{
    <#
    .SYNOPSIS
        Looks up a COM+ application by name (platform layer).

    .DESCRIPTION
        Reads the COM+ catalog (COMAdmin.COMAdminCatalog, collection
        Applications) and returns the application with that exact name, or
        $null.

    .PARAMETER Name
        COM+ application name, for example 'QEMU Guest Agent VSS Provider'.

    .EXAMPLE
        Get-SrPlatformComPlusApplication -Name 'QEMU Guest Agent VSS Provider'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with name and id, or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Name
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    $catalog = New-Object -ComObject COMAdmin.COMAdminCatalog
    $applications = $catalog.GetCollection('Applications')
    $applications.Populate()
    foreach ($application in $applications)
    {
        if ([string]$application.Name -eq $Name)
        {
            return [pscustomobject]@{
                name = [string]$application.Name
                id   = [string]$application.Key
            }
        }
    }
    return $null
}
