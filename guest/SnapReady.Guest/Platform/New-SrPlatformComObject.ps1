function New-SrPlatformComObject
{
    <#
    .SYNOPSIS
        Creates a COM object by ProgID (platform layer helper).

    .DESCRIPTION
        New-Object -ComObject, in one place, so that the Windows
        implementations that use COM (the COM+ catalog, Windows Installer) can
        be tested off Windows with this function mocked: PowerShell on Linux
        has no -ComObject parameter to mock. It is called only from the
        Windows implementations of other platform functions, never through the
        lab provider.

    .PARAMETER ProgId
        The ProgID, for example COMAdmin.COMAdminCatalog.

    .EXAMPLE
        $catalog = New-SrPlatformComObject -ProgId 'COMAdmin.COMAdminCatalog'

    .OUTPUTS
        System.Object (the COM object).
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $ProgId
    )

    Assert-SrPlatformWindows
    New-Object -ComObject $ProgId
}
