function Start-SrHostSlotRequest
{
    <#
    .SYNOPSIS
        Starts one host request in a slot's runspace, without waiting for it.

    .DESCRIPTION
        A slot is a runspace of this pwsh, opened on first use (and again
        when it broke). It imports
        SnapReady.Host once (from this module's own manifest) and then runs
        Invoke-SrHostRequest -RequestBase64 for each request given to it,
        one at a time. The script text is constant: the manifest path and
        the request are passed as arguments, never put into the script.
        The slot must be idle (ConvertFrom-SrHostBatchRequest checks it).

    .PARAMETER Slot
        The slot number.

    .PARAMETER Tag
        The runner's number for this request, given back with its answer.

    .PARAMETER RequestBase64
        The Invoke-SrHostRequest request.

    .PARAMETER TimeoutMilliseconds
        The request's time limit: Wait-SrHostSlot stops it
        SlotGraceMilliseconds after that.

    .EXAMPLE
        Start-SrHostSlotRequest -Slot 0 -Tag 7 -RequestBase64 'eyJvcCI6InBpbmcifQ==' -TimeoutMilliseconds 60000

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [int]
        $Slot,

        [Parameter(Mandatory = $true)]
        [long]
        $Tag,

        [Parameter(Mandatory = $true)]
        [string]
        $RequestBase64,

        [Parameter(Mandatory = $true)]
        [ValidateRange(1, 2147483647)]
        [int]
        $TimeoutMilliseconds
    )

    $entry = $null
    if ($script:SrHostSlots.TryGetValue($Slot, [ref]$entry) -and
        $entry.runspace.RunspaceStateInfo.State -ne [System.Management.Automation.Runspaces.RunspaceState]::Opened)
    {
        # A broken runspace is retired; the slot starts afresh.
        Stop-SrHostSlot -Slot $Slot
        $entry = $null
    }
    if ($null -eq $entry)
    {
        $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        $runspace.ThreadOptions = [System.Management.Automation.Runspaces.PSThreadOptions]::ReuseThread
        $runspace.Open()
        $entry = [pscustomobject]@{ slot = $Slot; runspace = $runspace; pipeline = $null; handle = $null; tag = $null; deadline = [long]::MaxValue; retiredAt = $null }
        $script:SrHostSlots[$Slot] = $entry
    }

    $pipeline = [System.Management.Automation.PowerShell]::Create()
    $pipeline.Runspace = $entry.runspace
    $null = $pipeline.AddScript($script:SrHostSlotScript).AddArgument($script:SrHostManifestPath).AddArgument($RequestBase64)
    $entry.tag = $Tag
    # Environment.TickCount64: milliseconds of a monotonic clock (a changed wall clock moves no deadline).
    $entry.deadline = [System.Environment]::TickCount64 + [long]$TimeoutMilliseconds + $script:SrHostConst.SlotGraceMilliseconds
    $entry.handle = $pipeline.BeginInvoke()
    $entry.pipeline = $pipeline
}
