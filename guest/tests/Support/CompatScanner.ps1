# Dot-sourced by Compat51.Tests.ps1: a static (AST and token) scan for
# PowerShell features that are newer than a target version. It backs the
# gates "the guest module runs on Windows PowerShell 5.1" and "the lab and the
# host module use nothing newer than the PowerShellVersion of their
# manifests".
#
# What it knows (each with the PowerShell version that introduced it; a
# finding is reported when that version is newer than the target):
#   syntax      ternary ?: (7.0), ?? and ??= (7.0), ?. and ?[] (7.0),
#               && and || pipeline chains (7.0), clean blocks (7.3),
#               a trailing & that starts a background job (6.0), -replace with
#               a script block (6.1), `u{...} escapes (6.0), binary literals
#               0b... (7.0), numeric suffixes y/uy/s/us/u/ul/n (6.2)
#   variables   $SrCompatVariables below ($IsWindows, $IsLinux, $IsMacOS,
#               $IsCoreCLR, $PSStyle, ...)
#   commands    $SrCompatCommands below (Get-Error, Test-Json, Remove-Alias, ...)
#   parameters  $SrCompatParameters below, per command (ForEach-Object
#               -Parallel, ConvertFrom-Json -AsHashtable/-Depth/-DateKind,
#               Join-Path -AdditionalChildPath, Get-Content -AsByteStream, ...),
#               matched also when abbreviated (two characters or more) and
#               through the common aliases in $SrCompatAliases; Join-Path with
#               three or more positional arguments (6.0); -Encoding values
#               utf8NoBOM/utf8BOM (6.0) and ansi (7.4)
# Not covered: .NET APIs (a .NET Core-only member such as
# ProcessStartInfo.ArgumentList is found only by running on 5.1), commands
# called through a variable or splatted parameter names.
#
# Exemption: a finding on a line that carries the comment "compat-gate:"
# followed by a reason is not reported. Use it only for code that is guarded
# by feature detection, for example a parameter used only when
# (Get-Command X).Parameters.ContainsKey('Y').

$script:SrCompatVariables = @{
    IsWindows                               = '6.0'
    IsLinux                                 = '6.0'
    IsMacOS                                 = '6.0'
    IsCoreCLR                               = '6.0'
    EnabledExperimentalFeatures             = '6.2'
    PSStyle                                 = '7.2'
    PSNativeCommandArgumentPassing          = '7.3'
    PSNativeCommandUseErrorActionPreference = '7.3'
}

$script:SrCompatCommands = @{
    'Remove-Alias'         = '6.0'
    'Remove-Service'       = '6.0'
    'Get-Uptime'           = '6.0'
    'Test-Json'            = '6.1'
    'ConvertFrom-Markdown' = '6.1'
    'Show-Markdown'        = '6.1'
    'Get-MarkdownOption'   = '6.1'
    'Set-MarkdownOption'   = '6.1'
    'Join-String'          = '6.2'
    'Get-Error'            = '7.0'
    'Get-SecureRandom'     = '7.4'
    'ConvertTo-CliXml'     = '7.5'
    'ConvertFrom-CliXml'   = '7.5'
}

$script:SrCompatParameters = @{
    'ForEach-Object'    = @{ Parallel = '7.0'; ThrottleLimit = '7.0'; TimeoutSeconds = '7.0'; AsJob = '7.0'; UseNewRunspace = '7.1' }
    'ConvertFrom-Json'  = @{ AsHashtable = '6.0'; Depth = '6.2'; NoEnumerate = '7.0'; DateKind = '7.5' }
    'ConvertTo-Json'    = @{ AsArray = '6.2'; EscapeHandling = '6.2' }
    'Join-Path'         = @{ AdditionalChildPath = '6.0'; Extension = '7.5' }
    'Get-Content'       = @{ AsByteStream = '6.0' }
    'Set-Content'       = @{ AsByteStream = '6.0' }
    'Add-Content'       = @{ AsByteStream = '6.0' }
    'Split-Path'        = @{ LeafBase = '6.0'; Extension = '6.0' }
    'Invoke-WebRequest' = @{ SkipCertificateCheck = '6.0'; Authentication = '6.0'; Token = '6.0'; SslProtocol = '6.0'; SkipHeaderValidation = '6.0'; Form = '6.1'; Resume = '6.1'; MaximumRetryCount = '6.1'; RetryIntervalSec = '6.1'; SkipHttpErrorCheck = '7.0'; StatusCodeVariable = '7.0' }
    'Invoke-RestMethod' = @{ SkipCertificateCheck = '6.0'; Authentication = '6.0'; Token = '6.0'; SslProtocol = '6.0'; SkipHeaderValidation = '6.0'; FollowRelLink = '6.0'; ResponseHeadersVariable = '6.0'; Form = '6.1'; Resume = '6.1'; MaximumRetryCount = '6.1'; RetryIntervalSec = '6.1'; SkipHttpErrorCheck = '7.0'; StatusCodeVariable = '7.0' }
    'New-PSSession'     = @{ HostName = '6.0'; SSHTransport = '6.0'; KeyFilePath = '6.0'; Subsystem = '6.0'; SSHConnection = '6.0'; UseWindowsPowerShell = '7.0'; ConnectingTimeout = '7.2'; Options = '7.3' }
    'Enter-PSSession'   = @{ HostName = '6.0'; SSHTransport = '6.0'; KeyFilePath = '6.0'; Subsystem = '6.0'; ConnectingTimeout = '7.2'; Options = '7.3' }
    'Invoke-Command'    = @{ HostName = '6.0'; SSHTransport = '6.0'; KeyFilePath = '6.0'; Subsystem = '6.0'; SSHConnection = '6.0'; ConnectingTimeout = '7.2'; Options = '7.3' }
    'Import-Module'     = @{ UseWindowsPowerShell = '7.0' }
    'Get-Date'          = @{ AsUTC = '7.1'; UnixTimeSeconds = '7.1' }
    'Select-String'     = @{ Raw = '7.0'; NoEmphasis = '7.0' }
    'Get-Command'       = @{ UseFuzzyMatching = '7.0'; UseAbbreviationExpansion = '7.0' }
    'Start-Sleep'       = @{ Duration = '7.3' }
    'Start-Process'     = @{ Environment = '7.4' }
    'Test-Connection'   = @{ TargetName = '6.0'; TcpPort = '7.0'; MtuSize = '6.0'; Traceroute = '6.0'; Repeat = '7.0' }
    'Get-ChildItem'     = @{ FollowSymlink = '6.0' }
    'Sort-Object'       = @{ Top = '6.0'; Bottom = '6.0'; Stable = '6.0' }
    'Out-String'        = @{ NoNewline = '6.0' }
    'ConvertTo-Csv'     = @{ UseQuotes = '7.0'; QuoteFields = '7.0' }
    'Export-Csv'        = @{ UseQuotes = '7.0'; QuoteFields = '7.0' }
    'Wait-Process'      = @{ Any = '7.4'; PassThru = '7.4' }
}

$script:SrCompatAliases = @{
    '%' = 'ForEach-Object'; 'foreach' = 'ForEach-Object'; 'gc' = 'Get-Content'; 'cat' = 'Get-Content'; 'type' = 'Get-Content'
    'ac' = 'Add-Content'; 'iwr' = 'Invoke-WebRequest'; 'irm' = 'Invoke-RestMethod'; 'nsn' = 'New-PSSession'; 'etsn' = 'Enter-PSSession'
    'icm' = 'Invoke-Command'; 'ipmo' = 'Import-Module'; 'sls' = 'Select-String'; 'gcm' = 'Get-Command'; 'sleep' = 'Start-Sleep'
    'start' = 'Start-Process'; 'saps' = 'Start-Process'; 'ls' = 'Get-ChildItem'; 'dir' = 'Get-ChildItem'; 'gci' = 'Get-ChildItem'
    'sort' = 'Sort-Object'; 'epcsv' = 'Export-Csv'
}

$script:SrCompatEncodingCommands = @('Out-File', 'Set-Content', 'Add-Content', 'Get-Content', 'Export-Csv', 'Import-Csv', 'Select-String', 'Send-MailMessage', 'Export-Clixml', 'Format-Hex', 'Export-PSSession', 'Tee-Object')

function Find-SrCompatIssue
{
    <#
    .SYNOPSIS
        Lists the PowerShell features in a script that are newer than -Target.
    .PARAMETER Path
        A .ps1, .psm1 or .psd1 file.
    .PARAMETER Script
        Script text (for planted examples).
    .PARAMETER Target
        The oldest PowerShell version the code must run on, e.g. 5.1.
    .OUTPUTS
        PSCustomObject with file, line, rule, since and text, one per finding.
    #>
    [CmdletBinding()]
    param
    (
        [Parameter(Mandatory = $true, ParameterSetName = 'Path')]
        [string] $Path,

        [Parameter(Mandatory = $true, ParameterSetName = 'Script')]
        [string] $Script,

        [Parameter(Mandatory = $true)]
        [version] $Target
    )

    $tokens = $null
    $errors = $null
    if ($PSCmdlet.ParameterSetName -eq 'Path')
    {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        $file = $Path
    }
    else
    {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Script, [ref]$tokens, [ref]$errors)
        $file = '<script>'
    }
    if (@($errors).Count -gt 0)
    {
        throw ('{0} does not parse: {1}' -f $file, (@($errors | ForEach-Object { $_.Message }) -join '; '))
    }
    $lines = $ast.Extent.Text -split '\r?\n'
    $found = New-Object System.Collections.Generic.List[object]
    $add = {
        param($Extent, [string] $Rule, [string] $Since)
        if ([version]$Since -le $Target) { return }
        $lineText = ''
        if ($Extent.StartLineNumber -ge 1 -and $Extent.StartLineNumber -le $lines.Count) { $lineText = $lines[$Extent.StartLineNumber - 1] }
        if ($lineText -match '#\s*compat-gate:\s*\S') { return }
        $found.Add([pscustomobject]@{ file = $file; line = $Extent.StartLineNumber; rule = $Rule; since = $Since; text = $Extent.Text.Split("`n")[0].Trim() })
    }

    foreach ($node in $ast.FindAll({ $true }, $true))
    {
        $type = $node.GetType().Name
        switch ($type)
        {
            'TernaryExpressionAst' { & $add $node.Extent 'ternary operator ?:' '7.0' }
            'PipelineChainAst' { & $add $node.Extent 'pipeline chain && / ||' '7.0' }
            'BinaryExpressionAst'
            {
                if ($node.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestion) { & $add $node.Extent 'null-coalescing operator ??' '7.0' }
                if ($node.Operator -in @([System.Management.Automation.Language.TokenKind]::Ireplace, [System.Management.Automation.Language.TokenKind]::Creplace))
                {
                    $right = $node.Right
                    if ($right -is [System.Management.Automation.Language.ArrayLiteralAst] -and @($right.Elements | Where-Object { $_ -is [System.Management.Automation.Language.ScriptBlockExpressionAst] }).Count -gt 0)
                    {
                        & $add $node.Extent '-replace with a script block' '6.1'
                    }
                }
            }
            'AssignmentStatementAst'
            {
                if ($node.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestionEquals) { & $add $node.Extent 'null-coalescing assignment ??=' '7.0' }
            }
            'MemberExpressionAst' { if ($node.NullConditional) { & $add $node.Extent 'null-conditional member access ?.' '7.0' } }
            'InvokeMemberExpressionAst' { if ($node.NullConditional) { & $add $node.Extent 'null-conditional member access ?.' '7.0' } }
            'IndexExpressionAst' { if ($node.NullConditional) { & $add $node.Extent 'null-conditional index ?[]' '7.0' } }
            'ScriptBlockAst' { if ($null -ne $node.CleanBlock) { & $add $node.CleanBlock.Extent 'clean block' '7.3' } }
            'PipelineAst' { if ($node.Background) { & $add $node.Extent 'background operator &' '6.0' } }
            'VariableExpressionAst'
            {
                $name = $node.VariablePath.UserPath
                if ($node.VariablePath.IsUnqualified -or $node.VariablePath.IsGlobal)
                {
                    $bare = $name -replace '^global:', ''
                    if ($script:SrCompatVariables.ContainsKey($bare)) { & $add $node.Extent ('automatic variable $' + $bare) $script:SrCompatVariables[$bare] }
                }
            }
            'CommandAst'
            {
                $commandName = $node.GetCommandName()
                if ($null -eq $commandName) { break }
                if ($script:SrCompatAliases.ContainsKey($commandName)) { $commandName = $script:SrCompatAliases[$commandName] }
                $known = @($script:SrCompatCommands.Keys | Where-Object { $_ -eq $commandName })
                if ($known.Count -gt 0) { & $add $node.Extent ('command ' + $known[0]) $script:SrCompatCommands[$known[0]] }
                $ruleKey = @($script:SrCompatParameters.Keys | Where-Object { $_ -eq $commandName })
                $elements = @($node.CommandElements | Select-Object -Skip 1)
                foreach ($element in $elements)
                {
                    if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
                    $given = $element.ParameterName
                    if ($ruleKey.Count -gt 0 -and $given.Length -ge 2)
                    {
                        $rules = $script:SrCompatParameters[$ruleKey[0]]
                        foreach ($parameterName in @($rules.Keys))
                        {
                            if ($parameterName.StartsWith($given, [System.StringComparison]::OrdinalIgnoreCase))
                            {
                                & $add $element.Extent ('{0} -{1}' -f $ruleKey[0], $parameterName) $rules[$parameterName]
                            }
                        }
                    }
                    if ($given -like 'Enc*' -and $commandName -in $script:SrCompatEncodingCommands)
                    {
                        $index = [array]::IndexOf($elements, $element)
                        $value = $element.Argument
                        if ($null -eq $value -and $index + 1 -lt $elements.Count) { $value = $elements[$index + 1] }
                        if ($value -is [System.Management.Automation.Language.StringConstantExpressionAst])
                        {
                            if ($value.Value -in @('utf8NoBOM', 'utf8BOM')) { & $add $value.Extent ('-Encoding ' + $value.Value) '6.0' }
                            if ($value.Value -eq 'ansi') { & $add $value.Extent '-Encoding ansi' '7.4' }
                        }
                    }
                }
                if ($commandName -eq 'Join-Path')
                {
                    # Positional arguments: Path and ChildPath only in 5.1.
                    $positional = 0
                    $valueParameters = @('Path', 'ChildPath', 'AdditionalChildPath', 'Credential', 'Extension')
                    for ($i = 0; $i -lt $elements.Count; $i++)
                    {
                        $element = $elements[$i]
                        if ($element -is [System.Management.Automation.Language.CommandParameterAst])
                        {
                            $takesValue = @($valueParameters | Where-Object { $_.StartsWith($element.ParameterName, [System.StringComparison]::OrdinalIgnoreCase) }).Count -gt 0
                            if ($takesValue -and $null -eq $element.Argument) { $i++ }
                            continue
                        }
                        $positional++
                    }
                    if ($positional -gt 2) { & $add $node.Extent 'Join-Path with 3+ positional arguments' '6.0' }
                }
            }
        }
    }

    foreach ($token in @($tokens))
    {
        if ($token.Kind -in @([System.Management.Automation.Language.TokenKind]::StringExpandable, [System.Management.Automation.Language.TokenKind]::HereStringExpandable) -and $token.Text -match '`u\{')
        {
            & $add $token.Extent 'escape `u{...}' '6.0'
        }
        if ($token.Kind -eq [System.Management.Automation.Language.TokenKind]::Number)
        {
            if ($token.Text -match '^0[bB][01]') { & $add $token.Extent 'binary literal 0b...' '7.0' }
            elseif ($token.Text -match '^(0[xX][0-9a-fA-F]+|[0-9][0-9._eE]*)(?i:uy|us|ul|u|y|s|n)$') { & $add $token.Extent 'numeric suffix' '6.2' }
        }
    }
    $found | Sort-Object -Property line
}
