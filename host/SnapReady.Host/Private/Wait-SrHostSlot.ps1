function Wait-SrHostSlot
{
    <#
    .SYNOPSIS
        Waits until at least one busy slot finished, and collects every finished one.

    .DESCRIPTION
        Waits up to -TimeoutMilliseconds for a busy slot's request to finish
        (not at all when none is busy), then returns each finished request as
        {tag, answer}: answer is the one line of JSON its Invoke-SrHostRequest
        wrote, or, when the slot's pipeline itself failed (e.g. SnapReady.Host
        could not be imported there), a retryable error answer
        (SrHostSlotFailed) after which the slot is retired. A finished slot
        is idle again, its runspace (and connections) kept.
        A request still running past its deadline (its time limit plus
        SlotGraceMilliseconds, see Start-SrHostSlotRequest) is stopped and
        its slot retired (Stop-SrHostSlot); it is returned with a retryable
        timeout answer, SrHostSlotTimeout. The wait ends at the earliest
        deadline at the latest. All times come from a monotonic clock.
        Retired slots are looked after on every call: a runspace whose
        pipeline ended is closed without waiting (CloseAsync: its remote
        sessions may not answer) and disposed once closed.

    .PARAMETER TimeoutMilliseconds
        Longest wait, 0 to 60000.

    .EXAMPLE
        $done = @(Wait-SrHostSlot -TimeoutMilliseconds 25)

    .OUTPUTS
        System.Management.Automation.PSCustomObject: tag, answer.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateRange(0, 60000)]
        [int]
        $TimeoutMilliseconds
    )

    $states = [System.Management.Automation.Runspaces.RunspaceState]
    for ($i = $script:SrHostRetiredSlots.Count - 1; $i -ge 0; $i--)
    {
        $retired = $script:SrHostRetiredSlots[$i]
        if ($null -ne $retired.handle -and -not $retired.handle.IsCompleted)
        {
            continue
        }
        $state = $retired.runspace.RunspaceStateInfo.State
        if ($state -eq $states::Opened)
        {
            $retired.runspace.CloseAsync()
        }
        elseif ($state -eq $states::Closed -or $state -eq $states::Broken -or $state -eq $states::BeforeOpen)
        {
            $script:SrHostRetiredSlots.RemoveAt($i)
            if ($null -ne $retired.pipeline) { $retired.pipeline.Dispose() }
            $retired.runspace.Dispose()
        }
    }

    # Plain loops, no pipelines: this runs on every batch.
    $busy = [System.Collections.Generic.List[object]]::new()
    $anyCompleted = $false
    foreach ($entry in $script:SrHostSlots.Values)
    {
        if ($null -ne $entry.pipeline)
        {
            $busy.Add($entry)
            if ($entry.handle.IsCompleted) { $anyCompleted = $true }
        }
    }
    if ($busy.Count -eq 0)
    {
        return
    }
    if (-not $anyCompleted)
    {
        $deadline = [System.Environment]::TickCount64 + $TimeoutMilliseconds
        foreach ($entry in $busy)
        {
            if ($entry.deadline -lt $deadline) { $deadline = $entry.deadline }
        }
        # WaitAny takes at most 64 handles: with more slots, wait on the first
        # 64 in short turns and look at all of them between turns.
        $handles = [System.Threading.WaitHandle[]]::new([System.Math]::Min($busy.Count, 64))
        for ($i = 0; $i -lt $handles.Length; $i++)
        {
            $handles[$i] = $busy[$i].handle.AsyncWaitHandle
        }
        do
        {
            $left = [int][System.Math]::Max(0, $deadline - [System.Environment]::TickCount64)
            $turn = if ($busy.Count -gt 64) { [System.Math]::Min($left, 10) } else { $left }
            $null = [System.Threading.WaitHandle]::WaitAny($handles, $turn)
            foreach ($entry in $busy)
            {
                if ($entry.handle.IsCompleted) { $anyCompleted = $true }
            }
        }
        while (-not $anyCompleted -and [System.Environment]::TickCount64 -lt $deadline)
    }

    $now = [System.Environment]::TickCount64
    foreach ($entry in $busy)
    {
        if ($entry.handle.IsCompleted -or $entry.deadline -gt $now)
        {
            continue
        }
        $tag = $entry.tag
        Stop-SrHostSlot -Slot $entry.slot
        [pscustomobject]@{
            tag    = $tag
            answer = New-SrHostResponse -Message 'the request did not finish within its time limit and was stopped' -Category timeout -ErrorId 'SrHostSlotTimeout' -Retryable $true
        }
    }

    foreach ($entry in $busy)
    {
        # A slot stopped just above has no tag any more.
        if ($null -eq $entry.tag -or -not $entry.handle.IsCompleted)
        {
            continue
        }
        $answer = $null
        $reason = 'it gave no answer'
        try
        {
            # The last line that is one line of JSON: Invoke-SrHostRequest's answer.
            foreach ($item in $entry.pipeline.EndInvoke($entry.handle))
            {
                $text = [string]$item
                if ($text.StartsWith('{') -and -not $text.Contains("`n")) { $answer = $text }
            }
        }
        catch
        {
            $answer = $null
            $reason = $_.Exception.Message
        }
        $tag = $entry.tag
        if ($null -eq $answer)
        {
            # Whatever broke the slot's pipeline may have broken its runspace: retire it.
            Stop-SrHostSlot -Slot $entry.slot
            $answer = New-SrHostResponse -Message ('the host slot failed: {0}' -f $reason) -Category guest -ErrorId 'SrHostSlotFailed' -Retryable $true
        }
        else
        {
            $entry.pipeline.Dispose()
            $entry.pipeline = $null
            $entry.handle = $null
            $entry.tag = $null
        }
        [pscustomobject]@{ tag = $tag; answer = $answer }
    }
}
