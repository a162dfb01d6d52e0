function Get-SrPlatformComPlusApplication
{
    <#
    .SYNOPSIS
        Looks up a COM+ application by name (platform layer).

    .DESCRIPTION
        Reads the COM+ catalog (COMAdmin.COMAdminCatalog, collection
        Applications) and returns the application with that exact name, or
        $null. A catalog that cannot be read (a broken COM+ catalog: the
        System Event Notification Service or MSDTC disabled, 0x8007042C;
        COMAdmin not registered, REGDB_E_CLASSNOTREG 0x80040154) throws the
        terminating error SrComPlusCatalogUnavailable (category
        ResourceUnavailable, TargetObject.hresult as 0xXXXXXXXX), so that a
        caller can report the registration as unknown instead of missing.

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

    $found = $null
    try
    {
        $catalog = New-SrPlatformComObject -ProgId 'COMAdmin.COMAdminCatalog'
        $applications = $catalog.GetCollection('Applications')
        $applications.Populate()
        foreach ($application in $applications)
        {
            if ($null -eq $found -and [string]$application.Name -eq $Name)
            {
                $found = [pscustomobject]@{
                    name = [string]$application.Name
                    id   = [string]$application.Key
                }
            }
        }
    }
    catch
    {
        # The HRESULT (a number, whatever the display language) of the innermost COM error.
        $hresult = 0
        for ($exception = $_.Exception; $null -ne $exception; $exception = $exception.InnerException)
        {
            if ($exception.HResult -ne 0 -and ($exception -is [System.Runtime.InteropServices.COMException] -or $hresult -eq 0))
            {
                $hresult = $exception.HResult
            }
        }
        $hex = '0x{0:X8}' -f $hresult
        $PSCmdlet.ThrowTerminatingError((New-SrErrorRecord -ErrorId 'SrComPlusCatalogUnavailable' -Category ResourceUnavailable -Property @{ hresult = $hex } -Message (
                    'The COM+ catalog cannot be read (HRESULT {0}): whether a COM+ application is registered is unknown. Check that the services COM+ System Application, System Event Notification Service and Distributed Transaction Coordinator are not disabled. {1}' -f $hex, $_.Exception.Message)))
    }
    return $found
}
