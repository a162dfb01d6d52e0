function ConvertFrom-SrHostBatchRequest
{
    <#
    .SYNOPSIS
        Decodes and validates one batch of multiplexed host requests.

    .DESCRIPTION
        -RequestBase64 is base64 of UTF-8 JSON:
        {"slots": N, "submit": [{"tag": T, "slot": S, "request": "<base64>",
         "timeoutMs": L}], "stop": [S, ...], "waitMs": W}
        N is 1..256 and fixed for the life of the process (the first batch
        sets it); T is a whole number >= 0; S is 0..N-1; L (1..2147483647)
        is the request's time limit; a slot appears at
        most once in submit and must be idle (or stopped in the same batch);
        request is base64 (an Invoke-SrHostRequest request, checked there);
        W is 0..60000. Anything malformed is a terminating 'protocol' error
        (SrHostRequestMalformed, SrHostFieldInvalid, SrHostSlotBusy), so a
        bad batch starts nothing. Returns a hashtable: slots, submit (a list
        of hashtables tag, slot, request, timeoutMs), stop (int[]), waitMs.

    .PARAMETER RequestBase64
        The batch.

    .EXAMPLE
        $batch = ConvertFrom-SrHostBatchRequest -RequestBase64 $b64

    .OUTPUTS
        System.Collections.Hashtable.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $RequestBase64
    )

    $fail = {
        param([string] $Message, [string] $ErrorId)
        throw (New-SrHostErrorRecord -Message $Message -Category protocol -ErrorId $ErrorId)
    }
    if ($RequestBase64.Length -eq 0 -or $RequestBase64.Length -gt $script:SrHostConst.MaxBatchBase64Length)
    {
        & $fail ('The batch must be 1 to {0} characters of base64.' -f $script:SrHostConst.MaxBatchBase64Length) 'SrHostRequestMalformed'
    }
    $raw = ConvertFrom-SrHostBase64Json -Base64 $RequestBase64 -What 'batch' -MaxDepth 8

    # A whole number from $Min to $Max, as [long], or a protocol error naming it.
    $whole = {
        param($Value, $Name, $Min, $Max)
        if (($Value -isnot [int] -and $Value -isnot [long]) -or $Value -lt $Min -or $Value -gt $Max)
        {
            & $fail ('{0} must be a whole number from {1} to {2}.' -f $Name, $Min, $Max) 'SrHostFieldInvalid'
        }
        [long]$Value
    }
    $list = {
        param($Name)
        if (-not $raw.Contains($Name) -or $raw[$Name] -isnot [object[]])
        {
            & $fail ('{0} must be a JSON array.' -f $Name) 'SrHostFieldInvalid'
        }
        , $raw[$Name]
    }

    $slots = [int](& $whole $raw['slots'] 'slots' 1 $script:SrHostConst.MaxSlots)
    if ($null -ne $script:SrHostSlotCount -and $slots -ne $script:SrHostSlotCount)
    {
        & $fail ('slots is {0} for this process; it cannot change to {1}.' -f $script:SrHostSlotCount, $slots) 'SrHostFieldInvalid'
    }
    $waitMs = [int](& $whole $raw['waitMs'] 'waitMs' 0 60000)

    $stop = [System.Collections.Generic.List[int]]::new()
    foreach ($value in (& $list 'stop'))
    {
        $slot = [int](& $whole $value 'a stop slot' 0 ($slots - 1))
        if (-not $stop.Contains($slot)) { $stop.Add($slot) }
    }

    $submit = [System.Collections.Generic.List[hashtable]]::new()
    $seen = [System.Collections.Generic.HashSet[int]]::new()
    # The whole numbers of an entry (name, min, max), in the order they are checked.
    $entryNumbers = @(@('tag', 0, 9007199254740991), @('slot', 0, ($slots - 1)), @('timeoutMs', 1, [int]::MaxValue))
    foreach ($item in (& $list 'submit'))
    {
        if ($item -isnot [System.Collections.IDictionary])
        {
            & $fail 'Each submit entry must be a JSON object.' 'SrHostFieldInvalid'
        }
        # The test of $whole, written out: this runs for every submitted
        # request, and a script block call costs tens of microseconds.
        # $whole is called only to report a bad number.
        foreach ($number in $entryNumbers)
        {
            $value = $item[$number[0]]
            if (($value -isnot [int] -and $value -isnot [long]) -or $value -lt $number[1] -or $value -gt $number[2])
            {
                $null = & $whole $value $number[0] $number[1] $number[2]
            }
        }
        $tag = [long]$item['tag']
        $slot = [int]$item['slot']
        $timeoutMs = [int]$item['timeoutMs']
        $request = $item['request']
        if ($request -isnot [string] -or $request.Length -eq 0 -or $request.Length -gt $script:SrHostConst.MaxRequestBase64Length -or
            $request -notmatch '\A[A-Za-z0-9+/]*={0,2}\z')
        {
            & $fail ('the request of tag {0} must be base64 text of at most 4 MiB.' -f $tag) 'SrHostFieldInvalid'
        }
        if (-not $seen.Add($slot))
        {
            & $fail ('slot {0} is given two requests in one batch.' -f $slot) 'SrHostSlotBusy'
        }
        $entry = $null
        if (-not $stop.Contains($slot) -and $script:SrHostSlots.TryGetValue($slot, [ref]$entry) -and $null -ne $entry.pipeline)
        {
            & $fail ('slot {0} is still running tag {1}.' -f $slot, $entry.tag) 'SrHostSlotBusy'
        }
        $submit.Add(@{ tag = $tag; slot = $slot; request = $request; timeoutMs = $timeoutMs })
    }

    $script:SrHostSlotCount = $slots
    # Process-wide (slots have module scopes of their own): several guests
    # share this process, which New-SrHostSession must know.
    [System.AppDomain]::CurrentDomain.SetData('SnapReady.Host.Multiplexed', $true)
    @{ slots = $slots; submit = $submit; stop = $stop.ToArray(); waitMs = $waitMs }
}
