# The guest module against the catalogue (src/judge/catalogue.ts), the one
# place the runner's guest commands are named:
# - Invoke-SrGuestCommand's allow-list is exactly GUEST_COMMANDS, every
#   command the runner sends (the action commands and Get-SrGuestFact);
# - FunctionsToExport is exactly GUEST_EXPORTS (GUEST_COMMANDS and the entry
#   point Invoke-SrGuestCommand, which the host calls directly).
# Pester cannot read TypeScript: node prints the catalogue's lists.
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:GuestRoot = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'

    $node = Get-Command -Name 'node' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $node)
    {
        throw 'node is not on PATH: this test reads the guest command lists from src/judge/catalogue.ts with node. Install Node.js 20 and run npm ci in the repository root.'
    }
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($node.Source)
    $startInfo.WorkingDirectory = $RepoRoot
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $program = "const c = require('./src/judge/catalogue'); process.stdout.write(JSON.stringify({ commands: c.GUEST_COMMANDS, exports: c.GUEST_EXPORTS, entryPoint: c.GUEST_ENTRY_POINT }));"
    foreach ($argument in @('-r', 'ts-node/register/transpile-only', '-e', $program)) { $startInfo.ArgumentList.Add($argument) }
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit(60000))
    {
        $process.Kill($true)
        throw 'node did not print the catalogue of src/judge/catalogue.ts within 60 s.'
    }
    if ($process.ExitCode -ne 0)
    {
        throw ("node could not read src/judge/catalogue.ts (exit code {0}; is ts-node installed? run npm ci): {1}" -f $process.ExitCode, $stderr.Result)
    }
    $script:Catalogue = $stdout.Result | ConvertFrom-Json

    # Names in one list and not in the other, as one readable line ('' when none).
    $script:Difference = {
        param([string[]] $Actual, [string[]] $Expected, [string] $ActualName, [string] $ExpectedName)
        $missing = @($Expected | Where-Object { $Actual -cnotcontains $_ })
        $extra = @($Actual | Where-Object { $Expected -cnotcontains $_ })
        $parts = @()
        if ($missing.Count -gt 0) { $parts += ('in {0} but not in {1}: {2}' -f $ExpectedName, $ActualName, ($missing -join ', ')) }
        if ($extra.Count -gt 0) { $parts += ('in {0} but not in {1}: {2}' -f $ActualName, $ExpectedName, ($extra -join ', ')) }
        $parts -join '; '
    }
}

Describe 'The guest module and the catalogue' {
    It 'node reads non-empty command lists from the catalogue' {
        @($Catalogue.commands).Count | Should -BeGreaterThan 5
        $Catalogue.commands | Should -Contain 'Get-SrGuestFact'
        $Catalogue.exports | Should -Contain $Catalogue.entryPoint
    }

    It 'allow-lists in Invoke-SrGuestCommand exactly the commands the runner calls (GUEST_COMMANDS)' {
        $path = Join-Path $GuestRoot 'Public' 'Invoke-SrGuestCommand.ps1'
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $assignment = @($ast.FindAll({
                    param($n)
                    $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                    $n.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and
                    $n.Left.VariablePath.UserPath -eq 'allowList'
                }, $true))
        $assignment.Count | Should -Be 1 -Because "$path must assign `$allowList once, a list of string literals"
        $allowList = @($assignment[0].Right.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true) | ForEach-Object Value)
        $allowList.Count | Should -Be @($allowList | Select-Object -Unique).Count -Because 'the allow-list names each command once'
        (& $Difference $allowList @($Catalogue.commands) 'the allow-list' 'GUEST_COMMANDS of src/judge/catalogue.ts') | Should -BeNullOrEmpty
    }

    It 'exports (FunctionsToExport) exactly GUEST_EXPORTS: the allow-listed commands and the entry point' {
        $manifest = Import-PowerShellDataFile (Join-Path $GuestRoot 'SnapReady.Guest.psd1')
        (& $Difference @($manifest.FunctionsToExport) @($Catalogue.exports) 'FunctionsToExport of SnapReady.Guest.psd1' 'GUEST_EXPORTS of src/judge/catalogue.ts') | Should -BeNullOrEmpty
    }
}
