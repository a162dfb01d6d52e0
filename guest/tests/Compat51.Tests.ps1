# Compatibility gates (Support/CompatScanner.ps1, a static AST and token scan):
# - guest/SnapReady.Guest runs on the guest under Windows PowerShell 5.1 as well
#   as PowerShell 7 (Server 2012 R2 ... 2025, Windows 10/11, the WinRM
#   endpoint is 5.1): no syntax, automatic variable, cmdlet or parameter newer
#   than 5.1;
# - guest/lab/SnapReady.Lab is shipped to guests too (transport lab-ssh), but
#   only over PowerShell remoting over SSH, whose endpoint is PowerShell 7, and
#   its manifest says PowerShell 7.2 (Core): it is gated against 7.2;
# - host/SnapReady.Host runs in the runner's pwsh and its manifest says 7.2:
#   gated against 7.2 (PowerShell 7.4 LTS runners must work; ConvertFrom-Json
#   -DateKind, 7.5, once broke every request there).
# Each module's target is read from its manifest's PowerShellVersion. Every
# rule of the scanner is proven by a planted example of its own.
BeforeDiscovery {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:Modules = @(
        @{ Name = 'SnapReady.Guest'; Root = Join-Path $repoRoot 'guest' 'SnapReady.Guest'; Manifest = 'SnapReady.Guest.psd1'; Expected = '5.1' }
        @{ Name = 'SnapReady.Lab'; Root = Join-Path $repoRoot 'guest' 'lab' 'SnapReady.Lab'; Manifest = 'SnapReady.Lab.psd1'; Expected = '7.2' }
        @{ Name = 'SnapReady.Host'; Root = Join-Path $repoRoot 'host' 'SnapReady.Host'; Manifest = 'SnapReady.Host.psd1'; Expected = '7.2' }
    )
    # One planted example per rule: script text, the rule the 5.1 gate must report.
    $script:Planted = @(
        @{ Rule = 'ternary operator ?:'; Script = '$a = $true ? 1 : 2' }
        @{ Rule = 'null-coalescing operator ??'; Script = '$a = $b ?? 3' }
        @{ Rule = 'null-coalescing assignment ??='; Script = '$a ??= 3' }
        @{ Rule = 'null-conditional member access ?.'; Script = '${a}?.Length' }
        @{ Rule = 'null-conditional member access ?.'; Script = '${a}?.ToString()' }
        @{ Rule = 'null-conditional index ?[]'; Script = '${a}?[0]' }
        @{ Rule = 'pipeline chain && / ||'; Script = 'Get-Item x && Get-Item y' }
        @{ Rule = 'pipeline chain && / ||'; Script = 'Get-Item x || Get-Item y' }
        @{ Rule = 'clean block'; Script = 'function f { process { 1 } clean { 2 } }' }
        @{ Rule = 'background operator &'; Script = 'Get-Process &' }
        @{ Rule = '-replace with a script block'; Script = '"a" -replace "a", { $_.Value.ToUpper() }' }
        @{ Rule = 'escape `u{...}'; Script = '$s = "`u{2713}"' }
        @{ Rule = 'binary literal 0b...'; Script = '$a = 0b101' }
        @{ Rule = 'numeric suffix'; Script = '$a = 10uy' }
        @{ Rule = 'automatic variable $IsWindows'; Script = 'if ($IsWindows) { 1 }' }
        @{ Rule = 'automatic variable $IsLinux'; Script = 'if ($IsLinux) { 1 }' }
        @{ Rule = 'automatic variable $IsMacOS'; Script = 'if ($IsMacOS) { 1 }' }
        @{ Rule = 'automatic variable $IsCoreCLR'; Script = 'if ($global:IsCoreCLR) { 1 }' }
        @{ Rule = 'automatic variable $PSStyle'; Script = '$PSStyle.Reset' }
        @{ Rule = 'command Get-Error'; Script = 'Get-Error -Newest 1' }
        @{ Rule = 'command Test-Json'; Script = 'Test-Json -Json "{}"' }
        @{ Rule = 'command Remove-Alias'; Script = 'Remove-Alias -Name x' }
        @{ Rule = 'command Join-String'; Script = '1, 2 | Join-String' }
        @{ Rule = 'ForEach-Object -Parallel'; Script = '1..3 | ForEach-Object -Parallel { $_ }' }
        @{ Rule = 'ForEach-Object -Parallel'; Script = '1..3 | % -Parallel { $_ }' }
        @{ Rule = 'ConvertFrom-Json -AsHashtable'; Script = '"{}" | ConvertFrom-Json -AsHashtable' }
        @{ Rule = 'ConvertFrom-Json -Depth'; Script = '"{}" | ConvertFrom-Json -Depth 5' }
        @{ Rule = 'ConvertFrom-Json -DateKind'; Script = '"{}" | ConvertFrom-Json -DateKind String' }
        @{ Rule = 'ConvertFrom-Json -AsHashtable'; Script = '"{}" | ConvertFrom-Json -AsHash' }
        @{ Rule = 'Join-Path -AdditionalChildPath'; Script = 'Join-Path -Path a -ChildPath b -AdditionalChildPath c' }
        @{ Rule = 'Join-Path with 3+ positional arguments'; Script = 'Join-Path $a ''b'' ''c''' }
        @{ Rule = 'Get-Content -AsByteStream'; Script = 'Get-Content -Path x -AsByteStream' }
        @{ Rule = 'Split-Path -LeafBase'; Script = 'Split-Path -Path x -LeafBase' }
        @{ Rule = 'Invoke-WebRequest -SkipCertificateCheck'; Script = 'iwr -Uri https://x -SkipCertificateCheck' }
        @{ Rule = 'New-PSSession -HostName'; Script = 'New-PSSession -HostName x' }
        @{ Rule = '-Encoding utf8NoBOM'; Script = 'Set-Content -Path x -Value y -Encoding utf8NoBOM' }
        @{ Rule = 'Get-Date -AsUTC'; Script = 'Get-Date -AsUTC' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support' 'CompatScanner.ps1')
}

Describe 'The compatibility scanner' {
    It 'catches the planted <Rule> in: <Script>' -ForEach $Planted {
        $found = @(Find-SrCompatIssue -Script $Script -Target '5.1')
        @($found | ForEach-Object rule) | Should -Contain $Rule
    }

    It 'finds nothing in 5.1-safe code that looks alike' {
        $safe = @(
            'if ($a) { 1 } else { 2 }'
            '$x = @{ a = 1 }; $x.a; $x["a"]'
            'Get-Item x; if ($?) { Get-Item y }'
            'function f { begin { } process { 1 } end { } }'
            '"a" -replace "a", "b"'
            '$s = "`t"; $n = 0x1F; $l = 10l; $k = 1kb'
            '$IsWindowsHost = $true; $script:IsLinux = 1'
            'ConvertFrom-Json -InputObject "{}"'
            'Join-Path -Path a -ChildPath b; Join-Path a b'
            'Get-Content -Path x -Encoding UTF8 -Raw'
            'foreach ($i in 1..3) { $i }; 1..3 | ForEach-Object { $_ }'
            '$d = [datetime]::UtcNow.ToString("o")'
        ) -join "`n"
        @(Find-SrCompatIssue -Script $safe -Target '5.1') | Should -BeNullOrEmpty
    }

    It 'reports against the target: a 7.2 gate catches clean blocks and -DateKind, not ternaries' {
        $script = "function f { process { 1 } clean { 2 } }`n`$a = `$true ? 1 : 2`n'{}' | ConvertFrom-Json -DateKind String -AsHashtable"
        @(Find-SrCompatIssue -Script $script -Target '7.2' | ForEach-Object rule) | Should -Be @('clean block', 'ConvertFrom-Json -DateKind')
    }

    It 'skips a line marked "compat-gate:" with a reason (feature-detected code), and only that line' {
        $script = "'{}' | ConvertFrom-Json -DateKind String # compat-gate: guarded by feature detection`n'{}' | ConvertFrom-Json -DateKind String"
        @(Find-SrCompatIssue -Script $script -Target '7.2').line | Should -Be @(2)
        @(Find-SrCompatIssue -Script "'{}' | ConvertFrom-Json -DateKind String # compat-gate:" -Target '7.2').Count | Should -Be 1 -Because 'an exemption needs a reason'
    }
}

Describe 'Module <Name> uses nothing newer than its manifest''s PowerShellVersion' -ForEach $Modules {
    It 'declares PowerShellVersion <Expected>' {
        (Import-PowerShellDataFile (Join-Path $Root $Manifest)).PowerShellVersion | Should -Be $Expected
    }
    It 'has no finding' {
        $target = [version](Import-PowerShellDataFile (Join-Path $Root $Manifest)).PowerShellVersion
        $findings = foreach ($file in Get-ChildItem -Path $Root -Recurse -Include '*.ps1', '*.psm1', '*.psd1' -File)
        {
            Find-SrCompatIssue -Path $file.FullName -Target $target
        }
        @($findings | ForEach-Object { '{0}:{1}: {2} (PowerShell {3}): {4}' -f $_.file.Substring($Root.Length + 1), $_.line, $_.rule, $_.since, $_.text }) | Should -BeNullOrEmpty
    }
}
