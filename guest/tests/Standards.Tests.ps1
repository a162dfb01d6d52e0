# Meta-tests: coding standards over guest/**/*.ps1 and host/**/*.ps1 (modules
# and tests, wherever they live), and the module layout.
BeforeDiscovery {
    $guestRoot = Join-Path $PSScriptRoot '..'
    $hostRoot = Join-Path $PSScriptRoot '..' '..' 'host'
    $script:functionFiles = @(Get-ChildItem -Path $guestRoot, $hostRoot -Recurse -Filter '*.ps1' -File |
            Where-Object { $_.Directory.Name -in @('Public', 'Private', 'Platform') } |
            ForEach-Object { @{ Name = $_.Name; FullName = $_.FullName } })
    $script:guestNonPlatformFiles = @(Get-ChildItem -Path (Join-Path $guestRoot 'SnapReady.Guest' 'Public'), (Join-Path $guestRoot 'SnapReady.Guest' 'Private') -Filter '*.ps1' -File |
            ForEach-Object { @{ Name = $_.Directory.Name + '/' + $_.Name; FullName = $_.FullName } })
    $script:hostPublicFiles = @(Get-ChildItem -Path (Join-Path $hostRoot 'SnapReady.Host' 'Public') -Filter '*.ps1' -File |
            ForEach-Object { @{ Name = $_.Name; FullName = $_.FullName } })
    $script:hostScripts = @(Get-ChildItem -Path $hostRoot -Recurse -Include '*.ps1', '*.psm1', '*.psd1' -File |
            ForEach-Object { @{ Name = 'host' + $_.FullName.Substring((Resolve-Path $hostRoot).Path.Length); FullName = $_.FullName } })
    $script:guestPublicFiles = @(Get-ChildItem -Path (Join-Path $guestRoot 'SnapReady.Guest' 'Public') -Filter '*.ps1' -File |
            ForEach-Object { @{ Name = $_.Name; FullName = $_.FullName } })
    $script:allScripts = @(Get-ChildItem -Path $guestRoot -Recurse -Include '*.ps1', '*.psm1', '*.psd1' -File |
            ForEach-Object { @{ Name = $_.FullName.Substring((Resolve-Path $guestRoot).Path.Length); FullName = $_.FullName } }) + $hostScripts
}
BeforeAll {
    $script:Approved = @(Get-Verb | ForEach-Object Verb)
    $script:Parse = {
        param($Path)
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $ast
    }
}

Describe 'Function file <Name>' -ForEach $functionFiles {
    BeforeAll {
        $script:ast = & $Parse $FullName
        $script:functions = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))
    }
    It 'defines exactly one function, named after the file' {
        $functions.Count | Should -Be 1
        $functions[0].Name | Should -BeExactly ([IO.Path]::GetFileNameWithoutExtension($Name))
    }
    It 'uses an approved verb and the Sr noun prefix' {
        $verb, $noun = $functions[0].Name.Split('-', 2)
        $Approved | Should -Contain $verb
        $noun | Should -Match '^Sr[A-Z]'
    }
    It 'has comment-based help with SYNOPSIS, DESCRIPTION, EXAMPLE, OUTPUTS and every PARAMETER' {
        $help = $functions[0].GetHelpContent()
        $help | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Description | Should -Not -BeNullOrEmpty
        $help.Examples.Count | Should -BeGreaterThan 0
        $help.Outputs.Count | Should -BeGreaterThan 0
        $parameters = @()
        if ($functions[0].Body.ParamBlock) { $parameters = @($functions[0].Body.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath }) }
        foreach ($parameter in $parameters)
        {
            $help.Parameters.Keys | Should -Contain $parameter.ToUpperInvariant() -Because "parameter $parameter needs .PARAMETER help"
        }
    }
    It 'is an advanced function (CmdletBinding)' {
        @($functions[0].Body.ParamBlock.Attributes | Where-Object { $_.TypeName.Name -eq 'CmdletBinding' }).Count | Should -Be 1
    }
}

Describe 'Public function <Name>' -ForEach $guestPublicFiles {
    BeforeAll {
        $script:ast = & $Parse $FullName
        $script:function = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))[0]
        # Body text without comments (help may mention registry or certificate paths).
        $script:code = [regex]::Replace($function.Body.Extent.Text, '(?s)<#.*?#>', '')
    }
    It 'sets StrictMode and ErrorActionPreference' {
        $code | Should -Match 'Set-StrictMode -Version Latest'
        $code | Should -Match "\`$ErrorActionPreference = 'Stop'"
    }
}

Describe 'Guest function <Name> outside Platform/' -ForEach $guestNonPlatformFiles {
    BeforeAll {
        $script:ast = & $Parse $FullName
        $script:function = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))[0]
        # Body text without comments (help may mention registry or certificate paths).
        $script:code = [regex]::Replace($function.Body.Extent.Text, '(?s)<#.*?#>', '')
    }
    It 'does not touch Windows directly (only through the platform layer in Platform/)' {
        $denied = @('Get-Service', 'Set-Service', 'Start-Service', 'Stop-Service', 'Restart-Service', 'Get-ItemProperty', 'Set-ItemProperty', 'New-ItemProperty', 'Get-Item', 'New-Item',
            'Get-CimInstance', 'Get-WmiObject', 'Start-Process', 'Restart-Computer', 'Get-PnpDevice', 'Get-AuthenticodeSignature', 'Invoke-WebRequest',
            'Copy-Item', 'Remove-Item', 'Get-Content', 'Set-Content', 'Test-Path', 'Get-FileHash', 'Get-ChildItem')
        $commands = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() })
        foreach ($command in $commands) { $denied | Should -Not -Contain $command }
        $code | Should -Not -Match 'HKLM:|HKCR:|Cert:\\|\[Microsoft\.Win32|-ComObject|Diagnostics\.Process'
    }
}

Describe 'Host public function <Name>' -ForEach $hostPublicFiles {
    BeforeAll {
        $script:ast = & $Parse $FullName
        $script:function = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))[0]
        $script:code = [regex]::Replace($function.Body.Extent.Text, '(?s)<#.*?#>', '')
    }
    It 'sets StrictMode and ErrorActionPreference' {
        $code | Should -Match 'Set-StrictMode -Version Latest'
        $code | Should -Match "\`$ErrorActionPreference = 'Stop'"
    }
}

Describe 'Script <Name>' -ForEach $allScripts {
    It 'calls neither Write-Host nor Invoke-Expression' {
        $ast = & $Parse $FullName
        $names = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() })
        $names | Should -Not -Contain 'Write-Host'
        $names | Should -Not -Contain 'Invoke-Expression'
        $names | Should -Not -Contain 'iex'
        @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $n.Member.Extent.Text -in @('InvokeScript', 'NewScriptBlock', 'Create') -and $n.Expression.Extent.Text -match 'InvokeCommand|ScriptBlock' }, $true)).Count | Should -Be 0
    }
}

Describe 'Module layout' {
    It 'SnapReady.Guest exports exactly its Public functions' {
        $guest = Join-Path $PSScriptRoot '..' 'SnapReady.Guest'
        $public = @(Get-ChildItem (Join-Path $guest 'Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object)
        $manifest = Import-PowerShellDataFile (Join-Path $guest 'SnapReady.Guest.psd1')
        @($manifest.FunctionsToExport | Sort-Object) | Should -Be $public
        $module = Import-Module (Join-Path $guest 'SnapReady.Guest.psd1') -Force -PassThru
        @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be $public
    }
    It 'SnapReady.Guest keeps its platform seam in Platform/: exactly the *-SrPlatform* functions' {
        $guest = Join-Path $PSScriptRoot '..' 'SnapReady.Guest'
        $platform = @(Get-ChildItem (Join-Path $guest 'Platform') -Filter '*.ps1' -File)
        $platform.Count | Should -BeGreaterThan 20
        foreach ($file in $platform) { $file.BaseName | Should -Match '^[A-Za-z]+-SrPlatform' }
        @(Get-ChildItem $guest -Recurse -Filter '*-SrPlatform*.ps1' -File | Where-Object { $_.Directory.Name -ne 'Platform' }) | Should -BeNullOrEmpty
    }
    It 'has one ErrorRecord builder, the guest module''s New-SrErrorRecord, which the host module dot-sources' {
        $guestRoot = Join-Path $PSScriptRoot '..'
        $hostRoot = Join-Path $PSScriptRoot '..' '..' 'host'
        $builders = @(Get-ChildItem -Path $guestRoot, $hostRoot -Recurse -Include '*.ps1', '*.psm1' -File |
                Where-Object { $_.FullName -notmatch '[\\/]tests[\\/]' } |
                Where-Object { [regex]::Replace((Get-Content -LiteralPath $_.FullName -Raw), '(?s)<#.*?#>', '') -match 'Automation\.ErrorRecord\b\s*-ArgumentList|ErrorRecord\]::new\(' } |
                ForEach-Object { $_.Directory.Parent.Name + '/' + $_.Directory.Name + '/' + $_.Name })
        $builders | Should -Be @('SnapReady.Guest/Private/New-SrErrorRecord.ps1')
        $hostText = Get-Content -LiteralPath (Join-Path $hostRoot 'SnapReady.Host' 'SnapReady.Host.psm1') -Raw
        $hostText | Should -Match "'guest', 'SnapReady.Guest', 'Private', 'New-SrErrorRecord.ps1'"
    }
    It 'the lab manifest exports exactly its Public functions' {
        $labRoot = Join-Path $PSScriptRoot '..' 'lab' 'SnapReady.Lab'
        $public = @(Get-ChildItem (Join-Path $labRoot 'Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object)
        @((Import-PowerShellDataFile (Join-Path $labRoot 'SnapReady.Lab.psd1')).FunctionsToExport | Sort-Object) | Should -Be $public
    }
    It 'SnapReady.Host exports exactly its Public functions' {
        $hostModule = Join-Path $PSScriptRoot '..' '..' 'host' 'SnapReady.Host'
        $public = @(Get-ChildItem (Join-Path $hostModule 'Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object)
        @((Import-PowerShellDataFile (Join-Path $hostModule 'SnapReady.Host.psd1')).FunctionsToExport | Sort-Object) | Should -Be $public
        $module = Import-Module (Join-Path $hostModule 'SnapReady.Host.psd1') -Force -PassThru
        @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be $public
    }
    It 'the host module never writes to the host UI or evaluates text' {
        $hostModule = Join-Path $PSScriptRoot '..' '..' 'host' 'SnapReady.Host'
        foreach ($file in Get-ChildItem $hostModule -Recurse -Include '*.ps1', '*.psm1')
        {
            $text = [regex]::Replace((Get-Content -LiteralPath $file.FullName -Raw), '(?s)<#.*?#>', '')
            $text | Should -Not -Match '\[Console\]::(Write|Out\.Write)|\$Host\.UI|Write-Information|Out-Host|Read-Host' -Because $file.Name
            $text | Should -Not -Match 'ScriptBlock\]::Create|NewScriptBlock|InvokeScript' -Because $file.Name
        }
    }
    It 'production code never refers to the lab nor selects a provider from the environment' {
        $guest = Join-Path $PSScriptRoot '..' 'SnapReady.Guest'
        foreach ($file in Get-ChildItem $guest -Recurse -Include '*.ps1', '*.psm1', '*.psd1')
        {
            $text = Get-Content -LiteralPath $file.FullName -Raw
            $text | Should -Not -Match 'Import-Module[^\r\n]*Lab' -Because $file.Name
            $text | Should -Not -Match 'Invoke-SrLab|New-SrLab' -Because $file.Name
            if ($text -match 'SrPlatformProvider\s*=')
            {
                $text | Should -Not -Match '\$env:' -Because $file.Name
            }
        }
    }
}
