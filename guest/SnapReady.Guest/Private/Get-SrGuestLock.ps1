function Get-SrGuestLock
{
    <#
    .SYNOPSIS
        Reads the guest lock HKLM\SOFTWARE\snapready\Lock.

    .DESCRIPTION
        Values Owner, AcquiredAt and ExpiresAt (ISO 8601 UTC, the guest's
        clock). The lock is free when Owner is absent or empty; it is
        expired when ExpiresAt is absent, unreadable or not after -Now (a
        write cut short leaves Owner before ExpiresAt, so it reads as
        expired). Call it inside the lock's critical section
        (Enter-SrPlatformMutex) when the answer decides a write.

    .PARAMETER Now
        The current UTC time of the guest.

    .EXAMPLE
        Get-SrGuestLock -Now ([datetime]::UtcNow)

    .OUTPUTS
        System.Management.Automation.PSCustomObject with owner (or $null),
        acquiredAt, expiresAt (strings or $null) and expired.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [datetime]
        $Now
    )

    $key = $script:SrConst.LockKey
    $text = {
        param([string] $Name)
        $value = [string](Get-SrPlatformRegistryValue -Path $key -Name $Name)
        if ([string]::IsNullOrEmpty($value)) { return $null }
        $value
    }
    $owner = & $text 'Owner'
    $expiresAt = & $text 'ExpiresAt'
    $expired = $true
    if ($null -ne $expiresAt)
    {
        try
        {
            $expired = (ConvertFrom-SrIsoDate -Value $expiresAt) -le $Now.ToUniversalTime()
        }
        catch
        {
            $expired = $true
        }
    }
    [pscustomobject]@{
        owner      = $owner
        acquiredAt = & $text 'AcquiredAt'
        expiresAt  = $expiresAt
        expired    = $expired
    }
}
