function ConvertFrom-SrHostJson
{
    <#
    .SYNOPSIS
        Parses JSON text with System.Text.Json, keeping every string a string.

    .DESCRIPTION
        ConvertFrom-Json turns strings that look like dates into DateTime
        unless it is given -DateKind String, which exists only from
        PowerShell 7.5. The host module runs on PowerShell 7.2 and later, so
        it parses JSON itself: System.Text.Json.JsonDocument (part of .NET 6
        and later, so of every PowerShell 7.2+) with a depth limit, no
        comments and no trailing commas. Objects become ordered dictionaries
        (keys compared with case; a repeated key keeps its last value, as
        ConvertFrom-Json -AsHashtable does) or, with -AsPSCustomObject,
        PSCustomObjects; arrays become object[] (a one-element array stays an
        array); numbers become Int32, Int64 or Double; strings stay strings.
        Invalid JSON, or JSON nested deeper than -MaxDepth, throws.

    .PARAMETER Json
        The JSON text.

    .PARAMETER MaxDepth
        Deepest nesting allowed (1-1024).

    .PARAMETER AsPSCustomObject
        Return objects as PSCustomObject instead of ordered dictionaries.

    .EXAMPLE
        ConvertFrom-SrHostJson -Json '{"op":"ping"}' -MaxDepth 32

    .OUTPUTS
        System.Object: an ordered dictionary, a PSCustomObject, an object[],
        or a scalar.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $Json,

        [Parameter()]
        [ValidateRange(1, 1024)]
        [int]
        $MaxDepth = 64,

        [Parameter()]
        [switch]
        $AsPSCustomObject
    )

    $options = [System.Text.Json.JsonDocumentOptions]::new()
    $options.MaxDepth = $MaxDepth
    $options.AllowTrailingCommas = $false
    $options.CommentHandling = [System.Text.Json.JsonCommentHandling]::Disallow
    $document = [System.Text.Json.JsonDocument]::Parse($Json, $options)
    try
    {
        # Iterative (an explicit stack, no recursion): each work item is an element
        # and the slot of its value (a dictionary key, an object property or an array index).
        $root = [System.Collections.Generic.List[object]]::new()
        $stack = [System.Collections.Generic.Stack[object]]::new()
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
                if ($AsPSCustomObject)
                {
                    $value = [pscustomobject]@{}
                    foreach ($property in $element.EnumerateObject())
                    {
                        if ($null -eq $value.PSObject.Properties[$property.Name])
                        {
                            $value.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new($property.Name, $null))
                        }
                        $stack.Push(@($property.Value, $value, $property.Name))
                    }
                }
                else
                {
                    $value = [System.Collections.Specialized.OrderedDictionary]::new()
                    foreach ($property in $element.EnumerateObject())
                    {
                        $value[$property.Name] = $null
                        $stack.Push(@($property.Value, $value, $property.Name))
                    }
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
            if ($null -eq $key) { $parent.Add($value) }
            elseif ($parent -is [System.Management.Automation.PSCustomObject]) { $parent.PSObject.Properties[$key].Value = $value }
            else { $parent[$key] = $value }
        }
        , $root[0]
    }
    finally
    {
        $document.Dispose()
    }
}
