function Lock-SrGuest
{
    <#
    .SYNOPSIS
        Takes or renews the guest lock, unless another run holds it.

    .DESCRIPTION
        The guard that keeps two snapready runs (a scheduled converge and a
        terraform apply, possibly on different machines) from changing one
        guest at once. The lock is the registry key
        HKLM\SOFTWARE\snapready\Lock with the values Owner, AcquiredAt and
        ExpiresAt (ISO 8601 UTC, taken from the guest's own clock, so that
        runners with skewed clocks agree). Being in the registry, it
        survives reboots, dropped sessions and killed runs; a killed run's
        lock frees itself when it expires.
        The check and the write happen inside a machine-wide critical
        section (Enter-SrPlatformMutex, the named mutex
        Global\snapready-guest-lock, held for these few reads and writes
        only): a mutex alone could not be the lock, since it dies with the
        session that owns it and with every reboot.
        Free, expired, or already held by -Owner: writes Owner, AcquiredAt
        (kept on a renewal) and ExpiresAt = now + -TtlSeconds, in that order
        (a write cut short reads as expired), and returns acquired = $true.
        Held by another owner and not expired: changes nothing and returns
        acquired = $false with that owner and its times, for the caller to
        wait or refuse.

    .PARAMETER Owner
        Who takes the lock: unique per run (the runner uses host, process
        and a random suffix).

    .PARAMETER TtlSeconds
        How long the lock holds without a renewal (60 s to 7 days).

    .EXAMPLE
        Lock-SrGuest -Owner 'runner01 pid 4242 #1a2b3c4d' -TtlSeconds 3600

    .OUTPUTS
        System.Management.Automation.PSCustomObject with changed,
        rebootRequired, detail, acquired, acquiredAt, expiresAt, guestTime,
        owner and previousOwner.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9 ._:/#@()+-]{0,199}$')]
        [string]
        $Owner,

        [Parameter(Mandatory = $true)]
        [ValidateRange(60, 604800)]
        [int]
        $TtlSeconds
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $key = $script:SrConst.LockKey
    $handle = Enter-SrPlatformMutex -Name $script:SrConst.LockMutexName -TimeoutMilliseconds 30000
    try
    {
        $now = [datetime]::UtcNow
        $held = Get-SrGuestLock -Now $now
        $mine = $null -ne $held.owner -and $held.owner -ceq $Owner
        if ($null -ne $held.owner -and -not $mine -and -not $held.expired)
        {
            return New-SrResult -Changed $false -Detail ('The guest lock is held by {0} since {1}; it expires at {2} unless renewed.' -f $held.owner, $held.acquiredAt, $held.expiresAt) -Property @{
                acquired = $false; owner = $held.owner; acquiredAt = $held.acquiredAt; expiresAt = $held.expiresAt; guestTime = $now.ToString('o'); previousOwner = $null
            }
        }
        $acquiredAt = $now.ToString('o')
        if ($mine -and $null -ne $held.acquiredAt)
        {
            $acquiredAt = $held.acquiredAt
        }
        $previousOwner = $null
        if ($null -ne $held.owner -and -not $mine)
        {
            $previousOwner = $held.owner
        }
        $expiresAt = $now.AddSeconds($TtlSeconds).ToString('o')
        Set-SrPlatformRegistryValue -Path $key -Name 'Owner' -Value $Owner -Type String
        Set-SrPlatformRegistryValue -Path $key -Name 'AcquiredAt' -Value $acquiredAt -Type String
        Set-SrPlatformRegistryValue -Path $key -Name 'ExpiresAt' -Value $expiresAt -Type String
        $detail = 'Guest lock taken until {0}.' -f $expiresAt
        if ($mine)
        {
            $detail = 'Guest lock renewed until {0}.' -f $expiresAt
        }
        elseif ($null -ne $previousOwner)
        {
            $detail = 'Guest lock taken until {0}; the lock of {1} had expired at {2}.' -f $expiresAt, $previousOwner, $held.expiresAt
        }
        New-SrResult -Changed $true -Detail $detail -Property @{
            acquired = $true; owner = $Owner; acquiredAt = $acquiredAt; expiresAt = $expiresAt; guestTime = $now.ToString('o'); previousOwner = $previousOwner
        }
    }
    finally
    {
        Exit-SrPlatformMutex -Handle $handle
    }
}
