function Get-SrBootId
{
    <#
    .SYNOPSIS
        Returns an identifier of the current boot, kept in a volatile registry key.

    .DESCRIPTION
        Reads BootId under HKLM\SOFTWARE\snapready\Boot, a volatile key that
        Windows removes at every boot. Two readings carry the same id exactly
        when no reboot happened in between: no comparison of boot time
        strings (LastBootUpTime can be reported differently, or change with
        a clock correction) is needed.
        Without -Create this only reads: it returns $null when the key or
        the value is missing (nothing has created it in this boot) or cannot
        be read (access denied, for example a read-only credential), and
        writes nothing, so that the facts stay read-only. With -Create (the
        write paths: Set-SrRebootAttempt, Set-SrRebootRequested,
        Register-SrRebootOutcome) a missing key is created volatile and a new
        GUID is written; it does not survive the boot.

    .PARAMETER Create
        Create the volatile key and a new id when none exists yet.

    .EXAMPLE
        Get-SrBootId

    .EXAMPLE
        Get-SrBootId -Create

    .OUTPUTS
        System.String (a GUID, lower case, without braces), or $null without
        -Create when no id exists or it cannot be read.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter()]
        [switch]
        $Create
    )

    $key = $script:SrConst.BootKey
    if (-not $Create)
    {
        try
        {
            $bootId = Get-SrPlatformRegistryValue -Path $key -Name 'BootId'
        }
        catch
        {
            $denied = $_.CategoryInfo.Category -eq [System.Management.Automation.ErrorCategory]::PermissionDenied
            $exception = $_.Exception
            while (-not $denied -and $null -ne $exception)
            {
                $denied = ($exception -is [System.UnauthorizedAccessException]) -or ($exception -is [System.Security.SecurityException])
                $exception = $exception.InnerException
            }
            if (-not $denied)
            {
                throw
            }
            Write-Verbose -Message ('The boot id cannot be read ({0}); reporting none.' -f $_.Exception.Message)
            return $null
        }
        if ([string]::IsNullOrEmpty([string]$bootId))
        {
            return $null
        }
        return [string]$bootId
    }
    $bootId = Get-SrPlatformRegistryValue -Path $key -Name 'BootId'
    if (-not [string]::IsNullOrEmpty([string]$bootId))
    {
        return [string]$bootId
    }
    New-SrPlatformVolatileRegistryKey -Path $key
    $bootId = [guid]::NewGuid().ToString()
    Set-SrPlatformRegistryValue -Path $key -Name 'BootId' -Value $bootId -Type String
    $bootId
}
