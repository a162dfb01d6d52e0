function ConvertFrom-SrLabJson
{
    <#
    .SYNOPSIS
        Parses a lab state document into nested dictionaries, keeping every string a string.

    .DESCRIPTION
        The lab stores dates (lastBootUpTime, upAt, certificate dates) as ISO
        8601 strings and compares them as strings. ConvertFrom-Json would turn
        them into DateTime unless it is given -DateKind String, which exists
        only from PowerShell 7.5; the lab runs on PowerShell 7.2 and later.
        When this pwsh has -DateKind ($script:SrLabJsonDateKind, set at
        import) the fast ConvertFrom-Json -AsHashtable -DateKind String is
        used; otherwise the text is parsed with System.Text.Json.JsonDocument
        (.NET 6+): objects become ordered dictionaries (keys compared with
        case; a repeated key keeps its last value), arrays object[], numbers
        Int32, Int64 or Double, and strings stay strings.

    .PARAMETER Json
        The JSON text.

    .EXAMPLE
        $state = ConvertFrom-SrLabJson -Json (Get-Content -LiteralPath $path -Raw)

    .OUTPUTS
        System.Collections.IDictionary (or whatever the JSON root is).
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.IDictionary])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Json
    )

    if ($script:SrLabJsonDateKind)
    {
        return , (ConvertFrom-Json -InputObject $Json -AsHashtable -DateKind String -Depth 64) # compat-gate: used only when this pwsh has -DateKind (feature-detected at import)
    }
    $options = New-Object -TypeName System.Text.Json.JsonDocumentOptions
    $options.MaxDepth = 64
    $document = [System.Text.Json.JsonDocument]::Parse($Json, $options)
    try
    {
        # Iterative (an explicit stack, no recursion): each work item is an element
        # and the slot of its value (a dictionary key or an array index).
        $root = New-Object -TypeName System.Collections.Generic.List[object]
        $stack = New-Object -TypeName System.Collections.Generic.Stack[object]
        $stack.Push(@($document.RootElement, $root, $null))
        while ($stack.Count -gt 0)
        {
            $work = $stack.Pop()
            $element = [System.Text.Json.JsonElement]$work[0]
            $parent = $work[1]
            $key = $work[2]
            $kind = [int]$element.ValueKind
            if ($kind -eq 1)
            {
                $value = [System.Collections.Specialized.OrderedDictionary]::new()
                foreach ($property in $element.EnumerateObject())
                {
                    $value[$property.Name] = $null
                    $stack.Push(@($property.Value, $value, $property.Name))
                }
            }
            elseif ($kind -eq 2)
            {
                $value = [object[]]::new($element.GetArrayLength())
                $index = 0
                foreach ($item in $element.EnumerateArray())
                {
                    $stack.Push(@($item, $value, $index))
                    $index++
                }
            }
            elseif ($kind -eq 3) { $value = $element.GetString() }
            elseif ($kind -eq 4)
            {
                $int = 0
                $long = [long]0
                if ($element.TryGetInt32([ref]$int)) { $value = $int }
                elseif ($element.TryGetInt64([ref]$long)) { $value = $long }
                else { $value = $element.GetDouble() }
            }
            elseif ($kind -eq 5) { $value = $true }
            elseif ($kind -eq 6) { $value = $false }
            else { $value = $null }
            if ($null -eq $key) { $parent.Add($value) } else { $parent[$key] = $value }
        }
        , $root[0]
    }
    finally
    {
        $document.Dispose()
    }
}
