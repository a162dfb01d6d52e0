function Unlock-SrGuest
{
    <#
    .SYNOPSIS
        Releases the guest lock taken by Lock-SrGuest, when -Owner holds it.

    .DESCRIPTION
        Inside the same critical section as Lock-SrGuest, empties Owner and
        ExpiresAt of HKLM\SOFTWARE\snapready\Lock when -Owner holds the lock
        (changed = $true). When another run holds it, or nobody does, it
        changes nothing (changed = $false): a run whose lock expired and was
        taken over never releases the new holder's lock.

    .PARAMETER Owner
        The owner that took the lock.

    .EXAMPLE
        Unlock-SrGuest -Owner 'runner01 pid 4242 #1a2b3c4d'

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail and owner (the holder found).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9 ._:/#@()+-]{0,199}$')]
        [string]
        $Owner
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $key = $script:SrConst.LockKey
    $handle = Enter-SrPlatformMutex -Name $script:SrConst.LockMutexName -TimeoutMilliseconds 30000
    try
    {
        $held = Get-SrGuestLock -Now ([datetime]::UtcNow)
        if ($null -eq $held.owner)
        {
            return New-SrResult -Changed $false -Detail 'The guest lock is free.' -Property @{ owner = $null }
        }
        if ($held.owner -cne $Owner)
        {
            return New-SrResult -Changed $false -Detail ('The guest lock is held by {0}, not by {1}; it was left alone.' -f $held.owner, $Owner) -Property @{ owner = $held.owner }
        }
        Set-SrPlatformRegistryValue -Path $key -Name 'Owner' -Value '' -Type String
        Set-SrPlatformRegistryValue -Path $key -Name 'ExpiresAt' -Value '' -Type String
        New-SrResult -Changed $true -Detail 'Guest lock released.' -Property @{ owner = $Owner }
    }
    finally
    {
        Exit-SrPlatformMutex -Handle $handle
    }
}
