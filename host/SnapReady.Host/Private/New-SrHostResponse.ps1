function New-SrHostResponse
{
    <#
    .SYNOPSIS
        Serializes one host response as a single line of compressed JSON.

    .DESCRIPTION
        Success: {"ok":true,"result":<Result>}. Failure:
        {"ok":false,"error":{"message","category","errorId","retryable"}}.
        ConvertTo-Json -Compress escapes control characters, so the answer is
        always exactly one line.

    .PARAMETER Result
        The result object of a successful request.

    .PARAMETER ResultJson
        The result of a successful request as JSON text already checked and
        on one line (a guest's answer passed on unchanged).

    .PARAMETER Message
        Error message (failure).

    .PARAMETER Category
        Protocol category (failure): unreachable, auth, guest, protocol or config.

    .PARAMETER ErrorId
        Stable error identifier (failure).

    .PARAMETER Retryable
        Whether the same request may succeed later (failure).

    .EXAMPLE
        New-SrHostResponse -Result @{ pid = $PID }

    .EXAMPLE
        New-SrHostResponse -Message 'unknown op' -Category protocol -ErrorId 'SrHostUnknownOp' -Retryable $false

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Result')]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true, ParameterSetName = 'Result')]
        [AllowNull()]
        [object]
        $Result,

        [Parameter(Mandatory = $true, ParameterSetName = 'Json')]
        [ValidateScript({ $_.Length -gt 0 -and $_.IndexOf([char]10) -lt 0 -and $_.IndexOf([char]13) -lt 0 })]
        [string]
        $ResultJson,

        [Parameter(Mandatory = $true, ParameterSetName = 'Error')]
        [string]
        $Message,

        [Parameter(Mandatory = $true, ParameterSetName = 'Error')]
        [ValidateSet('unreachable', 'auth', 'guest', 'protocol', 'config', 'timeout')]
        [string]
        $Category,

        [Parameter(Mandatory = $true, ParameterSetName = 'Error')]
        [string]
        $ErrorId,

        [Parameter(ParameterSetName = 'Error')]
        [bool]
        $Retryable = $false
    )

    if ($PSCmdlet.ParameterSetName -eq 'Json')
    {
        return '{"ok":true,"result":' + $ResultJson + '}'
    }
    if ($PSCmdlet.ParameterSetName -eq 'Result')
    {
        $response = [ordered]@{ ok = $true; result = $Result }
    }
    else
    {
        $response = [ordered]@{
            ok    = $false
            error = [ordered]@{
                message   = $Message
                category  = $Category
                errorId   = $ErrorId
                retryable = $Retryable
            }
        }
    }
    ConvertTo-Json -InputObject $response -Depth 64 -Compress -WarningAction SilentlyContinue
}
