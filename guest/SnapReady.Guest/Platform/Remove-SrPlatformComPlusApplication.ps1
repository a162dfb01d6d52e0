function Remove-SrPlatformComPlusApplication
{
    <#
    .SYNOPSIS
        Deletes a COM+ application by name (platform layer).

    .DESCRIPTION
        Removes every application with that exact name from the COM+ catalog
        (COMAdmin.COMAdminCatalog, collection Applications) and saves the
        catalog. Used to clear a stale VSS provider registration when neither
        qemu-ga.exe nor qga-vss.dll is left to unregister it. A catalog that
        cannot be read throws SrComPlusCatalogUnavailable, as
        Get-SrPlatformComPlusApplication does.

    .PARAMETER Name
        COM+ application name, for example 'QEMU Guest Agent VSS Provider'.

    .EXAMPLE
        Remove-SrPlatformComPlusApplication -Name 'QEMU Guest Agent VSS Provider'

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
        $Name
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    try
    {
        $catalog = New-SrPlatformComObject -ProgId 'COMAdmin.COMAdminCatalog'
        $applications = $catalog.GetCollection('Applications')
        $applications.Populate()
        for ($index = [int]$applications.Count - 1; $index -ge 0; $index--)
        {
            if ([string]$applications.Item($index).Name -eq $Name)
            {
                $applications.Remove($index)
            }
        }
        $null = $applications.SaveChanges()
    }
    catch
    {
        $hex = '0x{0:X8}' -f $_.Exception.HResult
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrComPlusCatalogUnavailable' -Category ResourceUnavailable -Property @{ hresult = $hex } -Message (
                    "The COM+ application '{0}' cannot be removed from the COM+ catalog (HRESULT {1}): {2}" -f $Name, $hex, $_.Exception.Message)))
    }
}
