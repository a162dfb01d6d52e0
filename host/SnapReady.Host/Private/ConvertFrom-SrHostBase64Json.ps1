function ConvertFrom-SrHostBase64Json
{
    <#
    .SYNOPSIS
        Decodes base64 of strict UTF-8 JSON into a dictionary, or fails as 'protocol'.

    .DESCRIPTION
        The decoding both runner requests share (ConvertFrom-SrHostRequest,
        ConvertFrom-SrHostBatchRequest): base64, then UTF-8 that throws on
        invalid bytes, then ConvertFrom-SrHostJson with a depth limit. The
        result must be a JSON object. Anything else is a terminating
        'protocol' error, SrHostRequestMalformed, whose message names -What.
        Length limits are the caller's.

    .PARAMETER Base64
        The encoded text.

    .PARAMETER What
        What the text is, for messages ('request', 'batch').

    .PARAMETER MaxDepth
        Deepest JSON nesting allowed.

    .EXAMPLE
        $raw = ConvertFrom-SrHostBase64Json -Base64 'eyJvcCI6InBpbmcifQ==' -What 'request' -MaxDepth 32

    .OUTPUTS
        System.Collections.IDictionary.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.IDictionary])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Base64,

        [Parameter(Mandatory = $true)]
        [string]
        $What,

        [Parameter(Mandatory = $true)]
        [ValidateRange(1, 1024)]
        [int]
        $MaxDepth
    )

    try
    {
        $strictUtf8 = [System.Text.UTF8Encoding]::new($false, $true)
        $raw = ConvertFrom-SrHostJson -Json ($strictUtf8.GetString([System.Convert]::FromBase64String($Base64))) -MaxDepth $MaxDepth
    }
    catch
    {
        throw (New-SrHostErrorRecord -Message ('The {0} is not base64-encoded UTF-8 JSON: {1}' -f $What, $_.Exception.Message) -Category protocol -ErrorId 'SrHostRequestMalformed')
    }
    if ($raw -isnot [System.Collections.IDictionary])
    {
        throw (New-SrHostErrorRecord -Message ('The {0} must be a JSON object.' -f $What) -Category protocol -ErrorId 'SrHostRequestMalformed')
    }
    , $raw
}
