function Get-SrLabFile
{
    <#
    .SYNOPSIS
        Finds a file in the lab file system.

    .DESCRIPTION
        Case-insensitive path lookup. Returns $null when missing.

    .PARAMETER State
        The lab state.

    .PARAMETER Path
        Windows file path.

    .EXAMPLE
        Get-SrLabFile -State $state -Path 'C:\Program Files\Qemu-ga\qemu-ga.exe'

    .OUTPUTS
        System.Collections.IDictionary or $null.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.IDictionary])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [string]
        $Path
    )

    $id = $Path.ToLowerInvariant()
    if ($State.files.Contains($id))
    {
        return $State.files[$id]
    }
    return $null
}
