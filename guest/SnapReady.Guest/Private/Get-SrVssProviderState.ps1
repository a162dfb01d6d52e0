function Get-SrVssProviderState
{
    <#
    .SYNOPSIS
        Reads the state of the QEMU Guest Agent VSS provider.

    .DESCRIPTION
        Service 'QEMU Guest Agent VSS Provider' (Manual and Stopped at rest is
        healthy: it is a COM+ service that runs only during a freeze), the
        COM+ application of the same name, the InprocServer32 of CLSID
        {6E6A3492-8D4D-440C-9619-5E5D0CC31CA8} and whether that file exists,
        and the VssOption DWORD.

    .EXAMPLE
        Get-SrVssProviderState

    .OUTPUTS
        System.Management.Automation.PSCustomObject with serviceExists,
        startType, status, comPlusRegistered, inprocServer32,
        inprocServerExists and vssOption.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $service = Get-SrPlatformService -Name $script:SrConst.VssServiceName
    $application = Get-SrPlatformComPlusApplication -Name $script:SrConst.VssComPlusApplication
    $inproc = Get-SrPlatformRegistryValue -Path $script:SrConst.VssInprocServerKey -Name '(default)'
    $inprocExists = $false
    if ([string]::IsNullOrEmpty([string]$inproc))
    {
        $inproc = $null
    }
    else
    {
        $inproc = [string]$inproc
        $inprocExists = [bool](Test-SrPlatformPath -Path $inproc)
    }
    $vssOption = Get-SrPlatformRegistryValue -Path $script:SrConst.VssServiceKey -Name 'VssOption'
    if ($null -ne $vssOption)
    {
        $vssOption = [int]$vssOption
    }
    $startType = $null
    $status = $null
    if ($null -ne $service)
    {
        $startType = [string]$service.startType
        $status = [string]$service.status
    }
    [pscustomobject]@{
        serviceExists      = ($null -ne $service)
        startType          = $startType
        status             = $status
        comPlusRegistered  = ($null -ne $application)
        inprocServer32     = $inproc
        inprocServerExists = $inprocExists
        vssOption          = $vssOption
    }
}
