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
        and the VssOption DWORD. When the COM+ catalog cannot be read
        (SrComPlusCatalogUnavailable), comPlusRegistered is $null (unknown)
        and comPlusUnknownReason says why; the other facts are still read.

    .EXAMPLE
        Get-SrVssProviderState

    .OUTPUTS
        System.Management.Automation.PSCustomObject with serviceExists,
        startType, status, comPlusRegistered, inprocServer32,
        inprocServerExists, vssOption, comPlusUnknownReason and
        providerKeyExists (HKLM\SYSTEM\CurrentControlSet\Services\VSS\Providers\{3629d4ed-...},
        not part of the facts document).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $service = Get-SrPlatformService -Name $script:SrConst.VssServiceName
    $comPlusRegistered = $null
    $comPlusUnknownReason = $null
    try
    {
        $comPlusRegistered = ($null -ne (Get-SrPlatformComPlusApplication -Name $script:SrConst.VssComPlusApplication))
    }
    catch
    {
        if ([string]$_.FullyQualifiedErrorId -notlike 'SrComPlusCatalogUnavailable*')
        {
            throw
        }
        $comPlusUnknownReason = $_.Exception.Message
    }
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
        serviceExists        = ($null -ne $service)
        startType            = $startType
        status               = $status
        comPlusRegistered    = $comPlusRegistered
        inprocServer32       = $inproc
        inprocServerExists   = $inprocExists
        vssOption            = $vssOption
        comPlusUnknownReason = $comPlusUnknownReason
        providerKeyExists    = [bool](Test-SrPlatformRegistryKey -Path $script:SrConst.VssProviderKey)
    }
}
