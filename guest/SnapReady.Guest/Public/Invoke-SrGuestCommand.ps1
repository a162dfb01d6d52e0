function Invoke-SrGuestCommand
{
    <#
    .SYNOPSIS
        Runs one allow-listed SnapReady.Guest function from an inert base64 JSON request.

    .DESCRIPTION
        The data channel of the remote runner. -RequestBase64 is base64 of
        UTF-8 JSON: { "command": "<function>", "parameters": { ... } }.
        The command must be one of the allow-listed public functions; the
        parameters must be declared parameters of that function and plain
        JSON values (string, number, boolean, or arrays of those). They are
        bound by splatting a hashtable: the request is never evaluated as
        script and never concatenated into a command. Returns compressed JSON:
        {"ok":true,"result":...,"warnings":[...]} or
        {"ok":false,"error":{"message","category","errorId","retryable"}}.
        It does not throw.

    .PARAMETER RequestBase64
        The request, base64-encoded UTF-8 JSON.

    .EXAMPLE
        $json = '{"command":"Set-SrVssOption","parameters":{"Value":5}}'
        Invoke-SrGuestCommand -RequestBase64 ([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)))

    .OUTPUTS
        System.String (compressed JSON).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]
        $RequestBase64
    )

    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    $allowList = @(
        'Get-SrGuestFact'
        'Lock-SrGuest'
        'Unlock-SrGuest'
        'Register-SrRebootOutcome'
        'Save-SrInstaller'
        'Add-SrTrustedPublisher'
        'Install-SrAgent'
        'Repair-SrAgent'
        'Repair-SrVssProvider'
        'Set-SrAgentService'
        'Set-SrVssOption'
        'Disable-SrAgentLogging'
        'Install-SrVioSerialDriver'
        'Set-SrMarker'
        'Request-SrReboot'
    )
    $commonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)

    $fail = {
        param([string] $Message, [string] $Category, [string] $ErrorId, [bool] $Retryable)
        [ordered]@{
            ok    = $false
            error = [ordered]@{
                message   = $Message
                category  = $Category
                errorId   = $ErrorId
                retryable = $Retryable
            }
        } | ConvertTo-Json -Depth 10 -Compress
    }

    try
    {
        if ($RequestBase64.Length -gt 1048576)
        {
            return & $fail 'The request is larger than 1 MiB.' 'InvalidArgument' 'SrRequestTooLarge' $false
        }
        try
        {
            $json = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($RequestBase64))
            $request = $json | ConvertFrom-Json
        }
        catch
        {
            return & $fail ('The request is not base64-encoded UTF-8 JSON: {0}' -f $_.Exception.Message) 'InvalidArgument' 'SrRequestMalformed' $false
        }
        if ($null -eq $request -or $request -isnot [System.Management.Automation.PSCustomObject] -or
            $null -eq $request.PSObject.Properties['command'] -or $request.command -isnot [string])
        {
            return & $fail 'The request must be a JSON object with a string "command".' 'InvalidArgument' 'SrRequestMalformed' $false
        }
        $commandName = [string]$request.command
        if ($allowList -cnotcontains $commandName)
        {
            return & $fail ("Command '{0}' is not allowed." -f $commandName) 'PermissionDenied' 'SrCommandNotAllowed' $false
        }
        $command = $MyInvocation.MyCommand.Module.ExportedFunctions[$commandName]
        if ($null -eq $command)
        {
            return & $fail ("Command '{0}' is not exported." -f $commandName) 'ObjectNotFound' 'SrCommandNotFound' $false
        }

        $splat = @{}
        $parameters = $null
        if ($null -ne $request.PSObject.Properties['parameters'])
        {
            $parameters = $request.parameters
        }
        if ($null -ne $parameters)
        {
            if ($parameters -isnot [System.Management.Automation.PSCustomObject])
            {
                return & $fail '"parameters" must be a JSON object.' 'InvalidArgument' 'SrRequestMalformed' $false
            }
            foreach ($property in $parameters.PSObject.Properties)
            {
                $name = $property.Name
                $allowedCommon = ($name -eq 'WhatIf' -and $command.Parameters.ContainsKey('WhatIf'))
                if (-not $command.Parameters.ContainsKey($name) -or (($commonParameters -contains $name) -and -not $allowedCommon))
                {
                    return & $fail ("Parameter '{0}' is not a parameter of '{1}'." -f $name, $commandName) 'InvalidArgument' 'SrParameterNotAllowed' $false
                }
                $value = $property.Value
                $items = @($value)
                foreach ($item in $items)
                {
                    if ($null -ne $item -and -not ($item -is [string] -or $item -is [bool] -or $item -is [int] -or $item -is [long] -or $item -is [double] -or $item -is [decimal]))
                    {
                        return & $fail ("Parameter '{0}' must be a string, number, boolean or an array of those." -f $name) 'InvalidArgument' 'SrParameterTypeInvalid' $false
                    }
                }
                if ($command.Parameters[$name].ParameterType -eq [System.Management.Automation.SwitchParameter])
                {
                    $splat[$name] = [System.Management.Automation.SwitchParameter][bool]$value
                }
                else
                {
                    $splat[$name] = $value
                }
            }
        }

        $warnings = $null
        $result = & $command @splat -WarningVariable warnings -WarningAction SilentlyContinue -InformationAction SilentlyContinue
        $warningText = @($warnings | ForEach-Object { [string]$_ })
        [ordered]@{
            ok       = $true
            result   = $result
            warnings = $warningText
        } | ConvertTo-Json -Depth 10 -Compress
    }
    catch
    {
        $record = $_
        $retryable = $false
        $target = $record.TargetObject
        if ($null -ne $target -and $null -ne $target.PSObject -and $null -ne $target.PSObject.Properties['retryable'])
        {
            $retryable = [bool]$target.retryable
        }
        & $fail $record.Exception.Message ([string]$record.CategoryInfo.Category) ([string]$record.FullyQualifiedErrorId) $retryable
    }
}
