function Remove-SrLabRegistryKey
{
    <#
    .SYNOPSIS
        Deletes a key and all its subkeys from the lab registry.

    .DESCRIPTION
        Case-insensitive. Missing keys are ignored.

    .PARAMETER State
        The lab state.

    .PARAMETER Path
        Registry key path.

    .EXAMPLE
        Remove-SrLabRegistryKey -State $state -Path 'HKLM:\SOFTWARE\Classes\CLSID\{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )

    $id = (ConvertTo-SrLabRegistryPath -Path $Path).ToLowerInvariant()
    foreach ($key in @($State.registry.Keys))
    {
        if ($key -eq $id -or $key.StartsWith($id + '\'))
        {
            $State.registry.Remove($key)
        }
    }
}
