function Stop-SrHostSlot
{
    <#
    .SYNOPSIS
        Stops a slot's running request and retires its runspace.

    .DESCRIPTION
        For a request that ran past its time limit, or a guest the runner
        gave up on: the slot's pipeline is asked to stop (without waiting),
        the slot is emptied, and its runspace, with every connection made in
        it, is closed without waiting once the pipeline has ended and
        disposed once closed (Wait-SrHostSlot does that). A pipeline that
        does not end within StopGraceMilliseconds (code blocked in a .NET
        wait, which a stop cannot interrupt) is reported by
        Invoke-SrHostBatch as stuck, and the runner then ends the whole
        process, so that nothing acts after the runner gave up. The next request for the slot number opens a fresh runspace.
        A slot that was never used is left alone.

    .PARAMETER Slot
        The slot number.

    .EXAMPLE
        Stop-SrHostSlot -Slot 3

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [int]
        $Slot
    )

    $entry = $null
    if (-not $script:SrHostSlots.TryGetValue($Slot, [ref]$entry))
    {
        return
    }
    $null = $script:SrHostSlots.Remove($Slot)
    if ($null -ne $entry.pipeline -and $null -ne $entry.handle -and -not $entry.handle.IsCompleted)
    {
        $null = $entry.pipeline.BeginStop($null, $null)
    }
    $entry.tag = $null
    $entry.retiredAt = [System.Environment]::TickCount64
    $script:SrHostRetiredSlots.Add($entry)
}
