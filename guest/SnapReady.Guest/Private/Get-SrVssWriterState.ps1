function Get-SrVssWriterState
{
    <#
    .SYNOPSIS
        Reads the VSS writers for the facts document.

    .DESCRIPTION
        Calls Get-SrPlatformVssWriter (the VSS requester API, never the
        localized vssadmin output) and adds stateName, the stable name of
        the VSS_WRITER_STATE number (1 STABLE, 2-5 WAITING_FOR_*, 6-15
        FAILED_AT_*, anything else UNKNOWN). Writers are sorted by writer id
        and instance id, so the document does not depend on the order VSS
        answers in. When the writers cannot be read, writers is $null and
        unknownReason gives the HRESULT (a number) and the error's message;
        an unreachable guest (SrGuestUnreachable) is rethrown.

    .EXAMPLE
        Get-SrVssWriterState

    .OUTPUTS
        System.Management.Automation.PSCustomObject with writers (array or
        $null) and unknownReason.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    $names = @('UNKNOWN', 'STABLE', 'WAITING_FOR_FREEZE', 'WAITING_FOR_THAW', 'WAITING_FOR_POST_SNAPSHOT',
        'WAITING_FOR_BACKUP_COMPLETE', 'FAILED_AT_IDENTIFY', 'FAILED_AT_PREPARE_BACKUP', 'FAILED_AT_PREPARE_SNAPSHOT',
        'FAILED_AT_FREEZE', 'FAILED_AT_THAW', 'FAILED_AT_POST_SNAPSHOT', 'FAILED_AT_BACKUP_COMPLETE',
        'FAILED_AT_PRE_RESTORE', 'FAILED_AT_POST_RESTORE', 'FAILED_AT_BACKUPSHUTDOWN')
    try
    {
        $raw = @(Get-SrPlatformVssWriter)
    }
    catch
    {
        if ([string]$_.FullyQualifiedErrorId -like 'SrGuestUnreachable*')
        {
            throw
        }
        $reason = '0x{0:X8}: {1}' -f $_.Exception.HResult, $_.Exception.Message
        return [pscustomobject][ordered]@{ writers = $null; unknownReason = $reason }
    }
    $writers = foreach ($writer in $raw)
    {
        $state = [int]$writer.state
        $stateName = 'UNKNOWN'
        if ($state -ge 0 -and $state -lt $names.Count)
        {
            $stateName = $names[$state]
        }
        else
        {
            $state = 0
        }
        [pscustomobject][ordered]@{
            name       = [string]$writer.name
            writerId   = ([string]$writer.writerId).ToLowerInvariant()
            instanceId = ([string]$writer.instanceId).ToLowerInvariant()
            state      = $state
            stateName  = $stateName
            lastError  = [long]$writer.lastError
        }
    }
    [pscustomobject][ordered]@{
        writers       = @($writers | Sort-Object -Property writerId, instanceId)
        unknownReason = $null
    }
}
