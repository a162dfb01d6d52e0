function Invoke-SrHostBatch
{
    <#
    .SYNOPSIS
        Runs host requests side by side in slots of this pwsh and writes one line of JSON.

    .DESCRIPTION
        The multiplexed form of Invoke-SrHostRequest, used when the runner
        drives several guests through one pwsh process. Each slot is a
        runspace of this process with its own SnapReady.Host (and so its own
        guest connections); a slot runs one request at a time.

        The request is base64 of UTF-8 JSON:
        {"slots": N, "submit": [{"tag": T, "slot": S, "request": "<base64>",
         "timeoutMs": L}], "stop": [S, ...], "waitMs": W}
        - stop: the pipelines of these slots are stopped and their
          runspaces retired (their connections are gone); the runner sends
          it when a request ran past its time limit or a guest was given up.
        - submit: each request (the base64 an Invoke-SrHostRequest would
          take) starts in its slot, which must be idle; 0 <= S < N. A request
          still running SlotGraceMilliseconds after its time limit L (calls
          in this process, local and lab, which no remote bound stops) is
          stopped: its answer is a retryable timeout (SrHostSlotTimeout) and
          its slot's runspace is retired as with stop. For a request that
          carries its connect (connectBase64), L covers both: the runner
          sends the sum of the two limits.
        - then it waits up to W milliseconds for at least one slot to finish.

        The answer is {"ok":true,"result":{"done":[{"tag":T,"answer":{...}}],
        "busy":B,"stuck":K}}: every request that finished, with the one-line
        answer Invoke-SrHostRequest gave (or a retryable SrHostSlotFailed for
        a request its slot could not start: only that slot is retired), how
        many slots are still busy, and how many stopped slots are still
        running StopGraceMilliseconds after the stop (code a stop cannot
        interrupt: the runner then ends the process). A
        malformed batch answers {"ok":false,...} with category protocol and
        starts nothing. It never throws; nothing else reaches the success
        stream. See docs/host.md.

    .PARAMETER RequestBase64
        The batch, base64-encoded UTF-8 JSON.

    .EXAMPLE
        Invoke-SrHostBatch -RequestBase64 'eyJzbG90cyI6MSwic3VibWl0IjpbXSwic3RvcCI6W10sIndhaXRNcyI6MH0='

    .OUTPUTS
        System.String (one line of compressed JSON).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter()]
        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $RequestBase64 = ''
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $WarningPreference = 'SilentlyContinue'
    $InformationPreference = 'SilentlyContinue'

    $line = $null
    try
    {
        $batch = ConvertFrom-SrHostBatchRequest -RequestBase64 ([string]$RequestBase64)
        foreach ($slot in $batch.stop)
        {
            Stop-SrHostSlot -Slot $slot
        }
        $done = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $batch.submit)
        {
            try
            {
                Start-SrHostSlotRequest -Slot $item.slot -Tag $item.tag -RequestBase64 $item.request -TimeoutMilliseconds $item.timeoutMs
            }
            catch
            {
                # Only this request fails (its slot is retired); the others go on.
                Stop-SrHostSlot -Slot $item.slot
                $done.Add([pscustomobject]@{
                        tag    = $item.tag
                        answer = New-SrHostResponse -Message ('the host slot could not start the request: {0}' -f $_.Exception.Message) -Category guest -ErrorId 'SrHostSlotFailed' -Retryable $true
                    })
            }
        }
        foreach ($finished in Wait-SrHostSlot -TimeoutMilliseconds $batch.waitMs)
        {
            $done.Add($finished)
        }
        $parts = [System.Collections.Generic.List[string]]::new()
        foreach ($finished in $done)
        {
            # Each answer is the one line of JSON Invoke-SrHostRequest wrote (or
            # an error answer made here): JSON already, so it is embedded as is.
            $parts.Add(('{{"tag":{0},"answer":{1}}}' -f $finished.tag, $finished.answer))
        }
        # Plain loops, no pipelines: this runs on every batch.
        $busy = 0
        foreach ($entry in $script:SrHostSlots.Values)
        {
            if ($null -ne $entry.pipeline) { $busy++ }
        }
        $now = [System.Environment]::TickCount64
        $stuck = 0
        foreach ($entry in $script:SrHostRetiredSlots)
        {
            if ($null -ne $entry.handle -and -not $entry.handle.IsCompleted -and $now - $entry.retiredAt -gt $script:SrHostConst.StopGraceMilliseconds) { $stuck++ }
        }
        $line = '{{"ok":true,"result":{{"done":[{0}],"busy":{1},"stuck":{2}}}}}' -f ($parts -join ','), $busy, $stuck
    }
    catch
    {
        $line = New-SrHostFailureResponse -ErrorRecord $_
    }
    Write-Output $line
}
