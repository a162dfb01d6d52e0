function Get-SrAgentService
{
    <#
    .SYNOPSIS
        Finds the agent service (QEMU-GA, or qemu-ga) with its command line.

    .DESCRIPTION
        The MSI installs the service as QEMU-GA; qemu-ga.exe -s install names
        it qemu-ga. Windows compares service names without case; both names
        are tried in case a platform implementation does not.

    .EXAMPLE
        Get-SrAgentService

    .OUTPUTS
        System.Management.Automation.PSCustomObject with exists, name, status,
        startType, imagePath and registryPath.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $service = Get-SrPlatformService -Name $script:SrConst.AgentServiceName
    if ($null -eq $service)
    {
        $service = Get-SrPlatformService -Name $script:SrConst.AgentServiceAltName
    }
    if ($null -eq $service)
    {
        return [pscustomobject]@{
            exists       = $false
            name         = $null
            status       = $null
            startType    = $null
            imagePath    = $null
            registryPath = $null
        }
    }
    $registryPath = '{0}\{1}' -f $script:SrConst.ServicesKey, $service.name
    $imagePath = Get-SrPlatformRegistryValue -Path $registryPath -Name 'ImagePath'
    if ($null -ne $imagePath)
    {
        $imagePath = [string]$imagePath
    }
    [pscustomobject]@{
        exists       = $true
        name         = [string]$service.name
        status       = [string]$service.status
        startType    = [string]$service.startType
        imagePath    = $imagePath
        registryPath = $registryPath
    }
}
