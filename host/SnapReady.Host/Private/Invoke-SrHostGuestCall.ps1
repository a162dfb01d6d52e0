function Invoke-SrHostGuestCall
{
    <#
    .SYNOPSIS
        Runs one guest command on a connected guest (the call op).

    .DESCRIPTION
        Runs Invoke-SrGuestCommand -RequestBase64 <requestBase64> in this
        pwsh (transport lab: right after Enable-SrLab -StatePath <labState>;
        transport local: after Disable-SrLab when the lab is loaded) or in
        the guest's
        session (Invoke-Command -ArgumentList, the request stays data), and
        returns the guest's parsed JSON answer, which may itself be
        {ok:false,...} for a failed primitive.
        A guest answer whose error.errorId starts with SrGuestUnreachable,
        a transport failure or a session that is no longer Opened is a
        terminating 'unreachable' (retryable) error, and the connection is
        dropped: a rebooting guest loses its session and the runner
        connects again. A call for an id that is not connected is a
        'protocol' error (SrHostNotConnected). An answer that is not a JSON
        object with a boolean ok is a 'guest' error.

    .PARAMETER Id
        The VM name.

    .PARAMETER RequestBase64
        The guest request: base64 of UTF-8 JSON {command, parameters}.

    .EXAMPLE
        Invoke-SrHostGuestCall -Id 'sql01' -RequestBase64 $b64

    .OUTPUTS
        System.Management.Automation.PSCustomObject: the guest's answer.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Id,

        [Parameter(Mandatory = $true)]
        [string]
        $RequestBase64
    )

    $entry = $null
    if (-not $script:SrHostConnections.TryGetValue($Id, [ref]$entry))
    {
        throw (New-SrHostErrorRecord -Message ('guest {0} is not connected: send connect first' -f $Id) -Category protocol -ErrorId 'SrHostNotConnected')
    }
    $unreachable = {
        param([string] $Message, [string] $ErrorId)
        Disconnect-SrHostGuest -Id $Id
        throw (New-SrHostErrorRecord -Message $Message -Category unreachable -ErrorId $ErrorId -Retryable $true)
    }

    if ($null -eq $entry.session)
    {
        $guest = Import-SrHostLocalModule -GuestModulePath $entry.guestModulePath -LabModulePath $entry.labModulePath
        if ($null -ne $entry.labState)
        {
            Enable-SrLab -StatePath $entry.labState
        }
        elseif ($null -ne (Get-Module -Name $script:SrHostConst.LabModuleName))
        {
            Disable-SrLab
        }
        $output = & $guest.ExportedFunctions['Invoke-SrGuestCommand'] -RequestBase64 $RequestBase64
    }
    else
    {
        $session = $entry.session
        if ([string]$session.State -ne 'Opened')
        {
            & $unreachable ('the session to guest {0} is {1}' -f $Id, [string]$session.State) 'SrHostSessionBroken'
        }
        try
        {
            $output = Invoke-Command -Session $session -ScriptBlock { param([string] $Request) Invoke-SrGuestCommand -RequestBase64 $Request } -ArgumentList $RequestBase64 -ErrorAction Stop
        }
        catch
        {
            $failure = Resolve-SrHostFailure -ErrorRecord $_ -DefaultCategory guest -DefaultErrorId 'SrHostGuestCallFailed'
            if ($failure.category -eq 'unreachable' -or [string]$session.State -ne 'Opened')
            {
                & $unreachable ('guest {0} is unreachable: {1}' -f $Id, $failure.message) 'SrHostUnreachable'
            }
            throw (New-SrHostErrorRecord -Message ('the call on guest {0} failed: {1}' -f $Id, $failure.message) -Category $failure.category -ErrorId $failure.errorId -Retryable $failure.retryable)
        }
    }

    $text = @(@($output) | Where-Object { $_ -is [string] -and $_.TrimStart().StartsWith('{') })
    $answer = $null
    if ($text.Count -gt 0)
    {
        try
        {
            $answer = ConvertFrom-SrHostJson -Json $text[-1] -MaxDepth 64 -AsPSCustomObject
        }
        catch
        {
            $answer = $null
        }
    }
    if ($null -eq $answer -or $answer -isnot [System.Management.Automation.PSCustomObject] -or
        $null -eq $answer.PSObject.Properties['ok'] -or $answer.ok -isnot [bool])
    {
        throw (New-SrHostErrorRecord -Message ('guest {0} gave no JSON answer with "ok"' -f $Id) -Category guest -ErrorId 'SrHostGuestResponseInvalid')
    }
    if (-not $answer.ok -and $null -ne $answer.PSObject.Properties['error'] -and $null -ne $answer.error -and
        $null -ne $answer.error.PSObject.Properties['errorId'] -and ([string]$answer.error.errorId).StartsWith('SrGuestUnreachable'))
    {
        & $unreachable ([string]$answer.error.message) ([string]$answer.error.errorId)
    }
    $answer
}
