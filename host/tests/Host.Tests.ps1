# The runner-side host module (host/SnapReady.Host): the request protocol
# (every connect field explicit, per transport), the local and lab transports
# for real against lab guests, ssh, lab-ssh and winrm with mocks, secrets and
# injection.
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:GuestPath = Join-Path $RepoRoot 'guest' 'SnapReady.Guest'
    $script:LabPath = Join-Path $RepoRoot 'guest' 'lab' 'SnapReady.Lab'
    Import-Module (Join-Path $RepoRoot 'host' 'SnapReady.Host' 'SnapReady.Host.psd1') -Force
    Import-Module (Join-Path $LabPath 'SnapReady.Lab.psd1') -Force -Global
    $script:Hash = & (Get-Module SnapReady.Host) { param($p) Get-SrHostModuleHash -Path $p } $GuestPath
    $script:ToB64 = { param($Object) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($Object | ConvertTo-Json -Depth 10 -Compress))) }
    # Sends one request; checks the one-line contract; returns the parsed answer (and the raw line in .raw).
    $script:Send = {
        param($Object)
        # call and connect require timeoutMs: requests that do not set it get 60 s here.
        if ($Object -is [hashtable] -and $Object['op'] -in @('call', 'connect') -and -not $Object.ContainsKey('timeoutMs')) { $Object = $Object.Clone(); $Object['timeoutMs'] = 60000 }
        $out = @(Invoke-SrHostRequest -RequestBase64 (& $ToB64 $Object))
        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType [string]
        $out[0] | Should -Not -Match '[\r\n]'
        $script:Lines.Add($out[0])
        $parsed = $out[0] | ConvertFrom-Json -DateKind String
        $parsed | Add-Member -NotePropertyName raw -NotePropertyValue $out[0] -PassThru
    }
    $script:SendRaw = {
        param([string] $Base64)
        $out = @(Invoke-SrHostRequest -RequestBase64 $Base64)
        $out.Count | Should -Be 1
        $script:Lines.Add($out[0])
        $out[0] | ConvertFrom-Json -DateKind String
    }
    $script:Lines = [Collections.Generic.List[string]]::new()
    $script:Guest = { param([string] $Command, [hashtable] $Parameters = @{}) & $ToB64 @{ command = $Command; parameters = $Parameters } }
    # A complete, valid connect request of a transport (every field explicit),
    # changed by -Extra and without the fields named by -Without.
    $script:Full = {
        param([string] $Transport, [string] $Id = 'vm', [hashtable] $Extra = @{}, [string[]] $Without = @())
        $r = @{ op = 'connect'; id = $Id; transport = $Transport; guestModulePath = $GuestPath; pinnedGuestCodeHash = $Hash; timeoutMs = 60000 }
        $ssh = @{ host = 'vm01.corp.example.com'; port = 22; usernameEnv = 'SR_U'; keyFileEnv = $null; knownHostsFile = $null }
        $labFields = @{ labState = '/srv/lab/vm.json'; labModulePath = $LabPath }
        $winrm = @{ host = 'vm01.corp.example.com'; port = 5986; https = $true; skipCertCheck = $false; authentication = 'negotiate'; usernameEnv = 'SR_U'; passwordEnv = 'SR_P' }
        $parts = switch ($Transport) { 'lab' { @($labFields) } 'ssh' { @($ssh) } 'lab-ssh' { @($labFields, $ssh) } 'winrm' { @($winrm) } default { @() } }
        foreach ($part in $parts) { foreach ($k in $part.Keys) { $r[$k] = $part[$k] } }
        foreach ($k in $Extra.Keys) { $r[$k] = $Extra[$k] }
        foreach ($k in $Without) { $r.Remove($k) }
        $r
    }
    # The guest module in this pwsh, no lab.
    $script:Local = { param([string] $Id) & $Full 'local' $Id }
    # A lab guest in this pwsh.
    $script:Lab = { param([string] $Id, [string] $LabState) & $Full 'lab' $Id @{ labState = $LabState } }
    $script:AssertError = {
        param($Answer, [string] $Category, [string] $ErrorIdLike, [bool] $Retryable)
        $Answer.ok | Should -BeFalse
        $Answer.error.category | Should -BeExactly $Category
        $Answer.error.errorId | Should -BeLike $ErrorIdLike
        $Answer.error.retryable | Should -Be $Retryable
        $Answer.error.message | Should -Not -BeNullOrEmpty
    }
}
AfterAll {
    foreach ($id in @(& (Get-Module SnapReady.Host) { $script:SrHostConnections.Keys })) {
        $null = Invoke-SrHostRequest -RequestBase64 (& $ToB64 @{ op = 'disconnect'; id = $id })
    }
    if (Get-Command Disable-SrLab -ErrorAction SilentlyContinue) { Disable-SrLab }
}

Describe 'Host protocol' {
    It 'exports only Invoke-SrHostRequest and Invoke-SrHostBatch' {
        @((Get-Module SnapReady.Host).ExportedFunctions.Keys | Sort-Object) | Should -Be @('Invoke-SrHostBatch', 'Invoke-SrHostRequest')
    }
    It 'ping answers the pid and the PowerShell version' {
        $a = & $Send @{ op = 'ping' }
        $a.ok | Should -BeTrue
        $a.result.pid | Should -Be $PID
        $a.result.psVersion | Should -Be $PSVersionTable.PSVersion.ToString()
        $a.raw | Should -BeExactly ('{"ok":true,"result":{"pid":' + $PID + ',"psVersion":"' + $PSVersionTable.PSVersion.ToString() + '"}}')
    }
    It 'malformed request <name> is a protocol error, never an exception' -ForEach @(
        @{ name = 'empty'; b64 = ''; id = 'SrHostRequestMalformed' }
        @{ name = 'not base64'; b64 = '!!notbase64'; id = 'SrHostRequestMalformed' }
        @{ name = 'not UTF-8'; b64 = [Convert]::ToBase64String([byte[]](0xff, 0xfe, 0x7b)); id = 'SrHostRequestMalformed' }
        @{ name = 'not JSON'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('op=ping')); id = 'SrHostRequestMalformed' }
        @{ name = 'a JSON array'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('[{"op":"ping"}]')); id = 'SrHostRequestMalformed' }
        @{ name = 'a JSON string'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('"ping"')); id = 'SrHostRequestMalformed' }
        @{ name = 'no op'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"id":"x"}')); id = 'SrHostFieldMissing' }
        @{ name = 'op not a string'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":1}')); id = 'SrHostFieldInvalid' }
        @{ name = 'unknown op'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"format-disk"}')); id = 'SrHostUnknownOp' }
        @{ name = 'op in the wrong case'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"PING"}')); id = 'SrHostUnknownOp' }
        @{ name = 'call without id'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","requestBase64":"e30="}')); id = 'SrHostFieldMissing' }
        @{ name = 'call without requestBase64'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","id":"vm"}')); id = 'SrHostFieldMissing' }
        @{ name = 'connect without timeoutMs'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"connect","id":"vm","transport":"local","guestModulePath":"/x/SnapReady.Guest","pinnedGuestCodeHash":"' + ('0' * 64) + '"}')); id = 'SrHostFieldMissing' }
        @{ name = 'stage without timeoutMs'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"stage","id":"vm","path":"/srv/q.msi","sha256":"' + ('0' * 64) + '","destinationDirectory":"C:\\x","signerThumbprint":null}')); id = 'SrHostFieldMissing' }
        @{ name = 'stage with a relative path'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"stage","id":"vm","path":"q.msi","sha256":"' + ('0' * 64) + '","destinationDirectory":"C:\\x","fileName":"q.msi","signerThumbprint":null,"timeoutMs":1000}')); id = 'SrHostFieldInvalid' }
        @{ name = 'stage with a bad sha256'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"stage","id":"vm","path":"/srv/q.msi","sha256":"abc","destinationDirectory":"C:\\x","fileName":"q.msi","signerThumbprint":null,"timeoutMs":1000}')); id = 'SrHostFieldInvalid' }
        @{ name = 'stage without fileName'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"stage","id":"vm","path":"/srv/q.msi","sha256":"' + ('0' * 64) + '","destinationDirectory":"C:\\x","signerThumbprint":null,"timeoutMs":1000}')); id = 'SrHostFieldMissing' }
        @{ name = 'stage with a fileName that is a path'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"stage","id":"vm","path":"/srv/q.msi","sha256":"' + ('0' * 64) + '","destinationDirectory":"C:\\x","fileName":"..\\q.msi","signerThumbprint":null,"timeoutMs":1000}')); id = 'SrHostFieldInvalid' }
        @{ name = 'stage with a fileName ending in a newline'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"stage","id":"vm","path":"/srv/q.msi","sha256":"' + ('0' * 64) + '","destinationDirectory":"C:\\x","fileName":"q.msi\n","signerThumbprint":null,"timeoutMs":1000}')); id = 'SrHostFieldInvalid' }
        @{ name = 'stage with a UNC path holding a control character'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"stage","id":"vm","path":"\\\\fs01\\media\\q\u0007.msi","sha256":"' + ('0' * 64) + '","destinationDirectory":"C:\\x","fileName":"q.msi","signerThumbprint":null,"timeoutMs":1000}')); id = 'SrHostFieldInvalid' }
        @{ name = 'call without timeoutMs'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","id":"vm","requestBase64":"e30="}')); id = 'SrHostFieldMissing' }
        @{ name = 'call with timeoutMs null'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","id":"vm","requestBase64":"e30=","timeoutMs":null}')); id = 'SrHostFieldMissing' }
        @{ name = 'call with timeoutMs 0'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","id":"vm","requestBase64":"e30=","timeoutMs":0}')); id = 'SrHostFieldInvalid' }
        @{ name = 'call with timeoutMs over a day'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","id":"vm","requestBase64":"e30=","timeoutMs":86400001}')); id = 'SrHostFieldInvalid' }
        @{ name = 'call with timeoutMs a string'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","id":"vm","requestBase64":"e30=","timeoutMs":"600000"}')); id = 'SrHostFieldInvalid' }
        @{ name = 'call with timeoutMs a fraction'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"call","id":"vm","requestBase64":"e30=","timeoutMs":1.5}')); id = 'SrHostFieldInvalid' }
        @{ name = 'disconnect with a numeric id'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"disconnect","id":5}')); id = 'SrHostFieldInvalid' }
        @{ name = 'an id with a newline'; b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"op":"disconnect","id":"a\nb"}')); id = 'SrHostFieldInvalid' }
    ) {
        $a = & $SendRaw $b64
        & $AssertError $a 'protocol' $id $false
    }
    It 'Invoke-SrHostRequest without -RequestBase64 answers a protocol error' {
        $out = @(Invoke-SrHostRequest)
        $out.Count | Should -Be 1
        ($out[0] | ConvertFrom-Json).error.category | Should -Be 'protocol'
    }
    It 'connect field <field> = <value> is refused (<transport>)' -ForEach @(
        @{ transport = 'ssh'; field = 'transport'; value = 'telnet' }
        @{ transport = 'ssh'; field = 'transport'; value = 'SSH' }
        @{ transport = 'ssh'; field = 'transport'; value = $null }
        @{ transport = 'ssh'; field = 'port'; value = 0 }
        @{ transport = 'ssh'; field = 'port'; value = 70000 }
        @{ transport = 'ssh'; field = 'port'; value = '22' }
        @{ transport = 'ssh'; field = 'port'; value = 22.5 }
        @{ transport = 'ssh'; field = 'port'; value = $null }
        @{ transport = 'winrm'; field = 'port'; value = $null }
        @{ transport = 'winrm'; field = 'https'; value = 'yes' }
        @{ transport = 'winrm'; field = 'https'; value = $null }
        @{ transport = 'winrm'; field = 'skipCertCheck'; value = 0 }
        @{ transport = 'ssh'; field = 'host'; value = '-oProxyCommand=touch /tmp/x' }
        @{ transport = 'ssh'; field = 'host'; value = 'a b' }
        @{ transport = 'ssh'; field = 'host'; value = '999.1.1.1' }
        @{ transport = 'ssh'; field = 'host'; value = 'fe80::1%eth0' }
        @{ transport = 'ssh'; field = 'host'; value = $null }
        @{ transport = 'lab-ssh'; field = 'host'; value = '-oProxyCommand=touch /tmp/x' }
        @{ transport = 'ssh'; field = 'usernameEnv'; value = 'A-B' }
        @{ transport = 'ssh'; field = 'usernameEnv'; value = '$(whoami)' }
        @{ transport = 'winrm'; field = 'passwordEnv'; value = 'A B' }
        @{ transport = 'ssh'; field = 'keyFileEnv'; value = '1KEY' }
        @{ transport = 'ssh'; field = 'guestModulePath'; value = 'relative/SnapReady.Guest' }
        @{ transport = 'ssh'; field = 'guestModulePath'; value = $null }
        @{ transport = 'local'; field = 'guestModulePath'; value = $null }
        @{ transport = 'ssh'; field = 'pinnedGuestCodeHash'; value = 'abc' }
        @{ transport = 'ssh'; field = 'pinnedGuestCodeHash'; value = $null }
        @{ transport = 'ssh'; field = 'knownHostsFile'; value = '/tmp/known hosts' }
        @{ transport = 'ssh'; field = 'knownHostsFile'; value = '/tmp/%h' }
        @{ transport = 'lab'; field = 'labState'; value = 'lab.json' }
        @{ transport = 'lab'; field = 'labState'; value = '/srv/lab/vm.txt' }
        @{ transport = 'lab'; field = 'labState'; value = $null }
        @{ transport = 'lab-ssh'; field = 'labState'; value = $null }
        @{ transport = 'lab'; field = 'labModulePath'; value = 'lab/SnapReady.Lab' }
        @{ transport = 'lab-ssh'; field = 'labModulePath'; value = $null }
    ) {
        $a = & $Send (& $Full $transport 'vm' @{ $field = $value })
        & $AssertError $a 'protocol' 'SrHostField*' $false
        $a.error.message | Should -BeLike "*`"$field`"*"
    }
    It 'every field of transport <transport> must be sent: without <field> the request is SrHostFieldMissing' -ForEach @(
        foreach ($t in @(
                @{ transport = 'local'; fields = @('id', 'transport', 'guestModulePath', 'pinnedGuestCodeHash') }
                @{ transport = 'lab'; fields = @('labState', 'labModulePath', 'guestModulePath', 'pinnedGuestCodeHash') }
                @{ transport = 'ssh'; fields = @('host', 'port', 'usernameEnv', 'keyFileEnv', 'knownHostsFile', 'guestModulePath', 'pinnedGuestCodeHash') }
                @{ transport = 'lab-ssh'; fields = @('labState', 'labModulePath', 'host', 'port', 'usernameEnv', 'keyFileEnv', 'knownHostsFile', 'guestModulePath', 'pinnedGuestCodeHash') }
                @{ transport = 'winrm'; fields = @('host', 'port', 'https', 'skipCertCheck', 'authentication', 'usernameEnv', 'passwordEnv', 'guestModulePath', 'pinnedGuestCodeHash') }
            ))
        {
            foreach ($f in $t.fields) { @{ transport = $t.transport; field = $f } }
        }
    ) {
        $a = & $Send (& $Full $transport 'vm' @{} @($field))
        & $AssertError $a 'protocol' 'SrHostFieldMissing' $false
        $a.error.message | Should -BeLike "*`"$field`"*"
    }
    It 'no default is filled in: a <transport> request without port is refused, not connected to port <default>' -ForEach @(
        @{ transport = 'ssh'; default = 22 }
        @{ transport = 'lab-ssh'; default = 22 }
        @{ transport = 'winrm'; default = 5986 }
    ) {
        Mock -ModuleName SnapReady.Host New-PSSession { throw 'must not be called' }
        $a = & $Send (& $Full $transport 'vm-noport' @{} @('port'))
        & $AssertError $a 'protocol' 'SrHostFieldMissing' $false
        $a.error.message | Should -BeExactly 'The request field "port" is missing.'
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 0 -Exactly
    }
    It 'keyFileEnv and knownHostsFile (ssh, lab-ssh) must be present but may be null' {
        $a = & $Send (& $Full 'ssh' 'vm' @{} @('keyFileEnv'))
        & $AssertError $a 'protocol' 'SrHostFieldMissing' $false
        $a.error.message | Should -BeExactly 'The request field "keyFileEnv" is missing (send null for none).'
        $request = & $Full 'ssh' 'vm'
        $parsed = & (Get-Module SnapReady.Host) { param($b64) ConvertFrom-SrHostRequest -RequestBase64 $b64 } (& $ToB64 $request)
        $parsed.keyFileEnv | Should -BeNullOrEmpty
        $parsed.knownHostsFile | Should -BeNullOrEmpty
        $parsed.port | Should -Be 22
    }
    It '<field> is refused with transport <transport>: lab guests use transport lab or lab-ssh' -ForEach @(
        @{ transport = 'local'; field = 'labState'; value = '/srv/lab/vm.json' }
        @{ transport = 'local'; field = 'labModulePath'; value = '/repo/guest/lab/SnapReady.Lab' }
        @{ transport = 'ssh'; field = 'labState'; value = '/srv/lab/vm.json' }
        @{ transport = 'winrm'; field = 'labState'; value = '/srv/lab/vm.json' }
        @{ transport = 'winrm'; field = 'labModulePath'; value = '/repo/guest/lab/SnapReady.Lab' }
    ) {
        $a = & $Send (& $Full $transport 'vm' @{ $field = $value })
        & $AssertError $a 'protocol' 'SrHostFieldNotAllowed' $false
        $a.error.message | Should -BeExactly ('The request field "{0}" is not allowed with transport {1}: lab guests use transport lab or lab-ssh.' -f $field, $transport)
    }
    It 'normalizes only the fields of the transport, and ignores unknown and other transports'' fields' {
        $request = & $Full 'local' 'vm' @{ host = 'ignored.example.com'; port = 'not checked'; https = 'not checked'; labState = $null; extra = 1 }
        $parsed = & (Get-Module SnapReady.Host) { param($b64) ConvertFrom-SrHostRequest -RequestBase64 $b64 } (& $ToB64 $request)
        @($parsed.Keys | Sort-Object) | Should -Be @('guestModulePath', 'id', 'op', 'pinnedGuestCodeHash', 'timeoutMs', 'transport')
        $request = & $Full 'winrm' 'vm' @{ keyFileEnv = 'IGNORED'; knownHostsFile = 'not checked' }
        $parsed = & (Get-Module SnapReady.Host) { param($b64) ConvertFrom-SrHostRequest -RequestBase64 $b64 } (& $ToB64 $request)
        @($parsed.Keys | Sort-Object) | Should -Be @('authentication', 'guestModulePath', 'host', 'https', 'id', 'op', 'passwordEnv', 'pinnedGuestCodeHash', 'port', 'skipCertCheck', 'timeoutMs', 'transport', 'usernameEnv')
        $parsed.port | Should -BeOfType [int]
    }
    It 'builds its error records with the guest module''s New-SrErrorRecord (same ids, categories, retryable flag)' {
        $record = & (Get-Module SnapReady.Host) { New-SrHostErrorRecord -Message 'm' -Category unreachable -ErrorId 'SrHostX' -Retryable $true }
        $record | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $record.FullyQualifiedErrorId | Should -BeExactly 'SrHostX'
        $record.CategoryInfo.Category | Should -Be 'ConnectionError'
        $record.Exception | Should -BeOfType [System.InvalidOperationException]
        $record.Exception.Message | Should -BeExactly 'm'
        @($record.TargetObject.PSObject.Properties.Name) | Should -Be @('srHostCategory', 'retryable')
        $record.TargetObject.srHostCategory | Should -BeExactly 'unreachable'
        $record.TargetObject.retryable | Should -BeTrue
        $builder = & (Get-Module SnapReady.Host) { Get-Command New-SrErrorRecord }
        $builder.ScriptBlock.File | Should -Be (Join-Path $GuestPath 'Private' 'New-SrErrorRecord.ps1')
    }
    It 'call on an id that is not connected is a protocol error' {
        & $AssertError (& $Send @{ op = 'call'; id = 'never-connected'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'protocol' 'SrHostNotConnected' $false
    }
    It 'disconnect of an unknown id succeeds with an empty result' {
        $a = & $Send @{ op = 'disconnect'; id = 'nobody' }
        $a.ok | Should -BeTrue
        $a.raw | Should -BeExactly '{"ok":true,"result":{}}'
    }
    It 'computes the same guest code hash as src/synth/guest-code.ts' {
        $node = Get-Command node -ErrorAction SilentlyContinue
        if ($null -eq $node -or -not (Test-Path (Join-Path $RepoRoot 'node_modules' 'ts-node')))
        {
            Set-ItResult -Skipped -Because 'node and node_modules/ts-node are needed to run src/synth/guest-code.ts'
            return
        }
        Push-Location $RepoRoot
        try { $expected = (& $node.Source -r ts-node/register/transpile-only -e 'process.stdout.write(require("./src/synth/guest-code").guestCodeHash())') }
        finally { Pop-Location }
        $Hash | Should -BeExactly $expected
    }
}

Describe 'Module loaders (SnapReady.Host, SnapReady.Guest, SnapReady.Lab)' {
    It '<name> defines the function of every file of <folders> and exports exactly its Public functions' -ForEach @(
        @{ name = 'SnapReady.Host'; folders = @('Private', 'Public'); path = @('host', 'SnapReady.Host') }
        @{ name = 'SnapReady.Guest'; folders = @('Platform', 'Private', 'Public'); path = @('guest', 'SnapReady.Guest') }
        @{ name = 'SnapReady.Lab'; folders = @('Private', 'Public'); path = @('guest', 'lab', 'SnapReady.Lab') }
    ) {
        $root = Join-Path $RepoRoot @path
        $expected = @(foreach ($folder in $folders) { Get-ChildItem -LiteralPath (Join-Path $root $folder) -Filter '*.ps1' -File | ForEach-Object BaseName })
        $public = @(Get-ChildItem -LiteralPath (Join-Path $root 'Public') -Filter '*.ps1' -File | ForEach-Object BaseName | Sort-Object)
        $expected.Count | Should -BeGreaterThan $public.Count
        # In a runspace of its own: this process's imports stay as they are.
        $runspace = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        $runspace.Open()
        $pipeline = [powershell]::Create()
        try
        {
            $pipeline.Runspace = $runspace
            $null = $pipeline.AddScript({
                    param([string] $Manifest)
                    $module = Import-Module -Name $Manifest -PassThru -ErrorAction Stop
                    [pscustomobject]@{
                        exported = @($module.ExportedFunctions.Keys)
                        defined  = @(& $module { Get-Command -CommandType Function | Where-Object { $null -ne $_.ScriptBlock.File } | ForEach-Object Name })
                    }
                }.ToString()).AddArgument((Join-Path $root ($name + '.psd1')))
            $out = @($pipeline.Invoke())
        }
        finally
        {
            $pipeline.Dispose()
            $runspace.Dispose()
        }
        @($out[-1].exported | Sort-Object) | Should -Be $public
        foreach ($function in $expected) { $out[-1].defined | Should -Contain $function }
    }
}

Describe 'ConvertFrom-SrHostJson (JSON without ConvertFrom-Json -DateKind, which needs 7.5)' {
    BeforeAll {
        $script:Parse = { param([string] $Json, [int] $MaxDepth = 64, [switch] $AsPSCustomObject) & (Get-Module SnapReady.Host) { param($j, $d, $o) ConvertFrom-SrHostJson -Json $j -MaxDepth $d -AsPSCustomObject:$o } $Json $MaxDepth $AsPSCustomObject }
    }
    It 'keeps date-like strings as strings and types numbers, booleans and null like ConvertFrom-Json' {
        $r = & $Parse '{"at":"2026-11-21T18:05:00Z","i":5,"l":12345678901,"d":1.5,"t":true,"f":false,"z":null,"s":"x"}'
        $r | Should -BeOfType [System.Collections.IDictionary]
        $r.at | Should -BeOfType [string]
        $r.at | Should -BeExactly '2026-11-21T18:05:00Z'
        $r.i | Should -BeOfType [int]
        $r.l | Should -BeOfType [long]
        $r.d | Should -BeOfType [double]
        $r.t | Should -BeTrue
        $r.f | Should -BeFalse
        $r.Contains('z') | Should -BeTrue
        $null -eq $r.z | Should -BeTrue
        @($r.Keys) | Should -Be @('at', 'i', 'l', 'd', 't', 'f', 'z', 's')
    }
    It 'keeps one-element and empty arrays arrays, and nested objects' {
        $r = & $Parse '{"one":["a"],"none":[],"nested":{"x":[{"y":1}]}}'
        , $r.one | Should -BeOfType [object[]]
        $r.one.Count | Should -Be 1
        , $r.none | Should -BeOfType [object[]]
        $r.none.Count | Should -Be 0
        $r.nested.x[0].y | Should -Be 1
        $root = & $Parse '[1]'
        , $root | Should -BeOfType [object[]]
    }
    It 'gives PSCustomObjects with -AsPSCustomObject, which serialise back unchanged' {
        $json = '{"ok":true,"result":{"a":["2026-01-01T00:00:00Z"],"b":{}},"warnings":[]}'
        $r = & $Parse $json -AsPSCustomObject
        $r | Should -BeOfType [System.Management.Automation.PSCustomObject]
        $r.result.a[0] | Should -BeExactly '2026-01-01T00:00:00Z'
        ConvertTo-Json -InputObject $r -Depth 10 -Compress | Should -BeExactly $json
    }
    It 'refuses invalid JSON, comments, trailing commas and nesting deeper than -MaxDepth' {
        { & $Parse '{"a":' } | Should -Throw
        { & $Parse '{"a":1,}' } | Should -Throw
        { & $Parse '{"a":1 /* c */}' } | Should -Throw
        { & $Parse '[[[1]]]' -MaxDepth 2 } | Should -Throw
        (& $Parse '[[1]]' -MaxDepth 2)[0][0] | Should -Be 1
    }
    It 'a request id that looks like a date stays a string' {
        (& $Send @{ op = 'disconnect'; id = '2026-11-21T18:05:00Z' }).ok | Should -BeTrue
    }
}

Describe 'Host connect: configuration errors' {
    It 'refuses a guest module that does not match the pinned hash' {
        $a = & $Send @{ op = 'connect'; id = 'vm-hash'; transport = 'local'; guestModulePath = $GuestPath; pinnedGuestCodeHash = ('0' * 64) }
        & $AssertError $a 'config' 'SrHostCodeHashMismatch' $false
    }
    It 'hashes the folder again for a new pin even when the guest module is already imported, and imports it again when it matches' {
        (& $Send @{ op = 'connect'; id = 'vm-pin1'; transport = 'local'; guestModulePath = $GuestPath; pinnedGuestCodeHash = $Hash }).ok | Should -BeTrue
        $first = & (Get-Module SnapReady.Host) { $script:SrHostImportedGuest.module }
        # The module in memory was verified against $Hash: another pin must not ride on that.
        $a = & $Send @{ op = 'connect'; id = 'vm-pin2'; transport = 'local'; guestModulePath = $GuestPath; pinnedGuestCodeHash = ('1' * 64) }
        & $AssertError $a 'config' 'SrHostCodeHashMismatch' $false
        # Same pin: no new import, the verified module stays.
        (& $Send @{ op = 'connect'; id = 'vm-pin3'; transport = 'local'; guestModulePath = $GuestPath; pinnedGuestCodeHash = $Hash }).ok | Should -BeTrue
        [object]::ReferenceEquals($first, (& (Get-Module SnapReady.Host) { $script:SrHostImportedGuest.module })) | Should -BeTrue
        # A guest module imported by someone else (not verified by the host) is imported again.
        Import-Module (Join-Path $GuestPath 'SnapReady.Guest.psd1') -Force -Global
        (& $Send @{ op = 'connect'; id = 'vm-pin4'; transport = 'local'; guestModulePath = $GuestPath; pinnedGuestCodeHash = $Hash }).ok | Should -BeTrue
        $after = & (Get-Module SnapReady.Host) { $script:SrHostImportedGuest.module }
        [object]::ReferenceEquals($first, $after) | Should -BeFalse
        [object]::ReferenceEquals($after, (Get-Module SnapReady.Guest)) | Should -BeTrue
        foreach ($id in 'vm-pin1', 'vm-pin3', 'vm-pin4') { $null = & $Send @{ op = 'disconnect'; id = $id } }
    }
    It 'refuses a module folder that is not SnapReady.Guest / SnapReady.Lab' {
        & $AssertError (& $Send @{ op = 'connect'; id = 'vm-mod'; transport = 'local'; guestModulePath = $LabPath; pinnedGuestCodeHash = $Hash }) 'config' 'SrHostModuleNotFound' $false
        & $AssertError (& $Send @{ op = 'connect'; id = 'vm-mod'; transport = 'local'; guestModulePath = (Join-Path $TestDrive 'SnapReady.Guest'); pinnedGuestCodeHash = $Hash }) 'config' 'SrHostModuleNotFound' $false
        & $AssertError (& $Send (& $Full 'lab' 'vm-mod' @{ labState = (Join-Path $TestDrive 'x.json'); labModulePath = $GuestPath })) 'config' 'SrHostModuleNotFound' $false
    }
    It 'refuses a lab state file that does not exist' {
        & $AssertError (& $Send (& $Lab 'vm-nolab' (Join-Path $TestDrive 'missing.json'))) 'config' 'SrHostLabStateNotFound' $false
    }
    It 'names an empty environment variable without printing any value' {
        $env:SR_HOST_TEST_EMPTY = ''
        $env:SR_HOST_TEST_USER = 'user-value-must-not-appear'
        Mock -ModuleName SnapReady.Host New-PSSession { throw 'must not be called' }
        $a = & $Send (& $Full 'ssh' 'vm-env' @{ usernameEnv = 'SR_HOST_TEST_UNSET_XYZ' })
        & $AssertError $a 'config' 'SrHostEnvironmentEmpty' $false
        $a.error.message | Should -BeExactly 'environment variable SR_HOST_TEST_UNSET_XYZ is empty'
        $a = & $Send (& $Full 'winrm' 'vm-env' @{ usernameEnv = 'SR_HOST_TEST_USER'; passwordEnv = 'SR_HOST_TEST_EMPTY' })
        & $AssertError $a 'config' 'SrHostEnvironmentEmpty' $false
        $a.error.message | Should -BeExactly 'environment variable SR_HOST_TEST_EMPTY is empty'
        $a.raw | Should -Not -Match 'user-value-must-not-appear'
        $a = & $Send (& $Full 'ssh' 'vm-env' @{ usernameEnv = 'SR_HOST_TEST_USER'; keyFileEnv = 'SR_HOST_TEST_EMPTY' })
        $a.error.message | Should -BeExactly 'environment variable SR_HOST_TEST_EMPTY is empty'
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 0 -Exactly
    }
}

Describe 'Host lab and local transports (lab guests in this pwsh)' {
    BeforeAll {
        $script:labA = New-SrLabGuest -Path (Join-Path $TestDrive 'vm-a.json') -RebootDelaySeconds 2
        $script:labB = New-SrLabGuest -Path (Join-Path $TestDrive 'vm-b.json')
    }
    It 'connects, and reuses the connection for the same request' {
        $a = & $Send (& $Lab 'vm-a' $labA.statePath)
        $a.ok | Should -BeTrue
        $a.raw | Should -BeExactly '{"ok":true,"result":{"id":"vm-a","transport":"lab","reused":false}}'
        (& $Send (& $Lab 'vm-a' $labA.statePath)).result.reused | Should -BeTrue
        (& $Send (& $Lab 'VM-A' $labA.statePath)).result.reused | Should -BeTrue
        @(Get-Module SnapReady.Guest).Count | Should -Be 1
    }
    It 'collects Get-SrGuestFact through call; the guest answer is inside result' {
        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeTrue
        $a.result.result.schemaVersion | Should -Be 1
        $a.result.result.os.version | Should -Be '10.0.17763'
        $a.result.result.os.lastBootUpTime | Should -BeExactly '2025-01-01T01:00:00.0000000Z'
        $a.result.result.agent.installed | Should -BeFalse
    }
    It 'runs a primitive; a failed primitive is ok:true with the guest''s ok:false inside' {
        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Install-SrAgent' @{ InstallerPath = $labA.msiPath; Kind = 'msi'; Version = $labA.agentVersion }) }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeTrue
        $a.result.result.changed | Should -BeTrue
        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Set-SrVssOption' @{ Value = 9 }) }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeFalse
        $a.result.error.category | Should -Be 'InvalidData'
        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Remove-Item' @{ Path = '/' }) }
        $a.result.error.errorId | Should -Be 'SrCommandNotAllowed'
    }
    It 'serves several lab guests from one pwsh, switching the lab before each call' {
        (& $Send (& $Lab 'vm-b' $labB.statePath)).ok | Should -BeTrue
        $b = & $Send @{ op = 'call'; id = 'vm-b'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $b.result.result.agent.installed | Should -BeFalse
        $a.result.result.agent.installed | Should -BeTrue
        (Get-SrLabState -StatePath $labB.statePath).msiProducts.Count | Should -Be 0
    }
    It 'a rebooting guest is unreachable (and dropped) until upAt, then works again after a new connect' {
        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Request-SrReboot' @{ Reason = 'host test' }) }
        $a.result.result.changed | Should -BeTrue
        $upAt = (Get-SrLabState -StatePath $labA.statePath).upAt
        $upAt | Should -Not -BeNullOrEmpty

        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        & $AssertError $a 'unreachable' 'SrGuestUnreachable*' $true
        $a.error.message | Should -BeExactly "lab guest vm-a is unreachable (rebooting until $upAt)"
        # The connection was dropped: the runner must connect again.
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'protocol' 'SrHostNotConnected' $false

        (& $Send (& $Lab 'vm-a' $labA.statePath)).result.reused | Should -BeFalse
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'unreachable' 'SrGuestUnreachable*' $true
        # Another guest in the same pwsh is not affected.
        (& $Send @{ op = 'call'; id = 'vm-b'; requestBase64 = (& $Guest 'Get-SrGuestFact') }).result.ok | Should -BeTrue

        $until = [datetime]::Parse($upAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
        $wait = ($until - [datetime]::UtcNow).TotalMilliseconds
        if ($wait -gt 0) { Start-Sleep -Milliseconds ([int][math]::Ceiling($wait) + 20) }
        (& $Send (& $Lab 'vm-a' $labA.statePath)).result.reused | Should -BeFalse
        $a = & $Send @{ op = 'call'; id = 'vm-a'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.result.os.lastBootUpTime | Should -BeExactly $upAt
        $a.result.result.agentService.status | Should -Be 'Running'
    }
    It 'RebootNeverReturns: unreachable, retryable, every time' {
        $down = New-SrLabGuest -Path (Join-Path $TestDrive 'vm-down.json') -Fault RebootNeverReturns
        (& $Send (& $Lab 'vm-down' $down.statePath)).ok | Should -BeTrue
        (& $Send @{ op = 'call'; id = 'vm-down'; requestBase64 = (& $Guest 'Request-SrReboot') }).result.ok | Should -BeTrue
        foreach ($i in 1..2)
        {
            (& $Send (& $Lab 'vm-down' $down.statePath)).ok | Should -BeTrue
            $a = & $Send @{ op = 'call'; id = 'vm-down'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
            & $AssertError $a 'unreachable' 'SrGuestUnreachable*' $true
            $a.error.message | Should -BeLike '*down*'
        }
    }
    It 'local runs the real platform layer (PlatformNotSupported off Windows), not the last lab' -Skip:($IsWindows) {
        $a = & $Send (& $Local 'vm-real')
        $a.raw | Should -BeExactly '{"ok":true,"result":{"id":"vm-real","transport":"local","reused":false}}'
        $a = & $Send @{ op = 'call'; id = 'vm-real'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
        $a.ok | Should -BeTrue
        $a.result.ok | Should -BeFalse
        $a.result.error.message | Should -BeLike '*needs Windows*'
        # The lab guests still answer afterwards.
        (& $Send @{ op = 'call'; id = 'vm-b'; requestBase64 = (& $Guest 'Get-SrGuestFact') }).result.ok | Should -BeTrue
    }
    It 'disconnect forgets the connection' {
        (& $Send @{ op = 'disconnect'; id = 'vm-b' }).ok | Should -BeTrue
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-b'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'protocol' 'SrHostNotConnected' $false
    }
    It 'a guest answer that is not JSON is a guest error' {
        (& $Send (& $Lab 'vm-b' $labB.statePath)).ok | Should -BeTrue
        Mock -ModuleName SnapReady.Host Import-SrHostLocalModule { New-Module -Name FakeGuest -ScriptBlock { function Invoke-SrGuestCommand { param($RequestBase64) 'WARNING: not json' }; Export-ModuleMember -Function Invoke-SrGuestCommand } }
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-b'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'guest' 'SrHostGuestResponseInvalid' $false
    }
}

Describe 'Host request fields disconnectFirst and connectBase64' {
    BeforeAll {
        $script:labC = New-SrLabGuest -Path (Join-Path $TestDrive 'vm-c.json')
        $script:labD = New-SrLabGuest -Path (Join-Path $TestDrive 'vm-d.json')
        $script:Facts = { param([string] $Id, [hashtable] $Extra = @{}) $r = @{ op = 'call'; id = $Id; requestBase64 = (& $Guest 'Get-SrGuestFact'); timeoutMs = 60000 }; foreach ($k in $Extra.Keys) { $r[$k] = $Extra[$k] }; $r }
        $script:Connected = { param([string] $Id) & (Get-Module SnapReady.Host) { param($i) $script:SrHostConnections.ContainsKey($i) } $Id }
        $script:Parse = { param([hashtable] $Request) & (Get-Module SnapReady.Host) { param($b64) ConvertFrom-SrHostRequest -RequestBase64 $b64 } (& $ToB64 $Request) }
    }
    AfterEach {
        foreach ($id in 'vm-c', 'vm-d') { $null = & $Send @{ op = 'disconnect'; id = $id } }
    }
    It 'disconnectFirst <name> is refused (SrHostFieldInvalid, naming it) and nothing runs, not even the valid ids' -ForEach @(
        @{ name = 'a string'; value = 'vm-c' }
        @{ name = 'an object'; value = @{ id = 'vm-c' } }
        @{ name = 'holding a number'; value = @('vm-c', 5) }
        @{ name = 'holding null'; value = @('vm-c', $null) }
        @{ name = 'holding an empty id'; value = @('vm-c', '') }
        @{ name = 'holding an id of 257 characters'; value = @('vm-c', ('x' * 257)) }
        @{ name = 'holding an id with a newline'; value = @('vm-c', "a`nb") }
        @{ name = 'holding an id with DEL'; value = @('vm-c', "a$([char]0x7f)") }
        @{ name = 'of 257 ids'; value = @(@('vm-c') + @(1..256 | ForEach-Object { "id$_" })) }
    ) {
        (& $Send (& $Lab 'vm-c' $labC.statePath)).ok | Should -BeTrue
        $a = & $Send @{ op = 'disconnect'; id = 'vm-d'; disconnectFirst = $value }
        & $AssertError $a 'protocol' 'SrHostFieldInvalid' $false
        $a.error.message | Should -BeLike '*"disconnectFirst"*'
        & $Connected 'vm-c' | Should -BeTrue
    }
    It 'disconnectFirst may be absent, null or empty, and holds up to 256 ids of the id rules' {
        (& $Parse @{ op = 'ping' }).Contains('disconnectFirst') | Should -BeFalse
        (& $Parse @{ op = 'ping'; disconnectFirst = $null }).Contains('disconnectFirst') | Should -BeFalse
        $parsed = & $Parse @{ op = 'ping'; disconnectFirst = @() }
        , $parsed.disconnectFirst | Should -BeOfType [string[]]
        $parsed.disconnectFirst.Count | Should -Be 0
        $ids = @(1..255 | ForEach-Object { "id$_" }) + @('x' * 256)
        $parsed = & $Parse @{ op = 'capabilities'; disconnectFirst = $ids }
        $parsed.disconnectFirst | Should -Be $ids
        $parsed = & $Parse @{ op = 'disconnect'; id = 'vm'; disconnectFirst = @('2026-11-21T18:05:00Z') }
        $parsed.disconnectFirst[0] | Should -BeOfType [string]
        $parsed.disconnectFirst[0] | Should -BeExactly '2026-11-21T18:05:00Z'
    }
    It 'disconnectFirst disconnects each id before the op, on any op; an unknown id is no error' {
        foreach ($r in (& $Lab 'vm-c' $labC.statePath), (& $Lab 'vm-d' $labD.statePath)) { (& $Send $r).ok | Should -BeTrue }
        $a = & $Send @{ op = 'ping'; disconnectFirst = @('VM-C', 'nobody') }
        $a.ok | Should -BeTrue
        $a.result.pid | Should -Be $PID
        & $Connected 'vm-c' | Should -BeFalse
        & $Connected 'vm-d' | Should -BeTrue
        # Before the op: a call for a guest it disconnects finds no connection.
        & $AssertError (& $Send (& $Facts 'vm-d' @{ disconnectFirst = @('vm-d') })) 'protocol' 'SrHostNotConnected' $false
    }
    It 'disconnectFirst is best effort: a failing disconnect is ignored, the other ids and the op still run' {
        foreach ($r in (& $Lab 'vm-c' $labC.statePath), (& $Lab 'vm-d' $labD.statePath)) { (& $Send $r).ok | Should -BeTrue }
        Mock -ModuleName SnapReady.Host Disconnect-SrHostGuest { throw 'the session would not close' } -ParameterFilter { $Id -eq 'vm-broken' }
        $a = & $Send (& $Facts 'vm-d' @{ disconnectFirst = @('vm-broken', 'vm-c') })
        $a.ok | Should -BeTrue -Because $a.raw
        $a.result.ok | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Host Disconnect-SrHostGuest -Times 1 -Exactly -ParameterFilter { $Id -eq 'vm-broken' }
        & $Connected 'vm-c' | Should -BeFalse
    }
    It 'connectBase64 is refused on op <op> (SrHostFieldNotAllowed), and null is none' -ForEach @(
        @{ op = 'ping'; extra = @{} }
        @{ op = 'capabilities'; extra = @{} }
        @{ op = 'disconnect'; extra = @{ id = 'vm-c' } }
        @{ op = 'connect'; extra = @{} }
    ) {
        $connect = & $ToB64 (& $Lab 'vm-c' $labC.statePath)
        $r = if ($op -eq 'connect') { & $Lab 'vm-c' $labC.statePath } else { @{ op = $op } }
        foreach ($k in $extra.Keys) { $r[$k] = $extra[$k] }
        $r['connectBase64'] = $connect
        $a = & $Send $r
        & $AssertError $a 'protocol' 'SrHostFieldNotAllowed' $false
        $a.error.message | Should -BeLike "*`"connectBase64`"*op $op*"
        & $Connected 'vm-c' | Should -BeFalse
        # capabilities probes WSMan (seconds off Windows): parsed only.
        $r['connectBase64'] = $null
        if ($op -eq 'capabilities') { (& $Parse $r).op | Should -Be 'capabilities' } else { (& $Send $r).ok | Should -BeTrue }
    }
    It 'connectBase64 <name> is refused (<errorId>, naming it) and nothing runs' -ForEach @(
        @{ name = 'that is a number'; value = { 5 }; errorId = 'SrHostFieldInvalid' }
        @{ name = 'that is empty'; value = { '' }; errorId = 'SrHostFieldInvalid' }
        @{ name = 'that is not base64'; value = { '!!!' }; errorId = 'SrHostRequestMalformed' }
        @{ name = 'holding a ping'; value = { & $ToB64 @{ op = 'ping' } }; errorId = 'SrHostFieldInvalid' }
        @{ name = 'holding a call'; value = { & $ToB64 (& $Facts 'vm-c') }; errorId = 'SrHostFieldInvalid' }
        @{ name = 'for another id'; value = { & $ToB64 (& $Lab 'vm-d' $labD.statePath) }; errorId = 'SrHostFieldInvalid' }
        @{ name = 'for the id in another case'; value = { & $ToB64 (& $Lab 'VM-C' $labC.statePath) }; errorId = 'SrHostFieldInvalid' }
        @{ name = 'carrying disconnectFirst'; value = { $r = & $Lab 'vm-c' $labC.statePath; $r['disconnectFirst'] = @('vm-d'); & $ToB64 $r }; errorId = 'SrHostFieldInvalid' }
        @{ name = 'of a connect without timeoutMs'; value = { & $ToB64 (& $Full 'lab' 'vm-c' @{ labState = $labC.statePath } @('timeoutMs')) }; errorId = 'SrHostFieldMissing' }
        @{ name = 'of a connect with a bad port'; value = { & $ToB64 (& $Full 'ssh' 'vm-c' @{ port = 0 }) }; errorId = 'SrHostFieldInvalid' }
    ) {
        (& $Send (& $Lab 'vm-d' $labD.statePath)).ok | Should -BeTrue
        $a = & $Send (& $Facts 'vm-c' @{ connectBase64 = (& $value); disconnectFirst = @('vm-d') })
        & $AssertError $a 'protocol' $errorId $false
        $a.error.message | Should -BeLike '*"connectBase64"*'
        & $Connected 'vm-c' | Should -BeFalse
        & $Connected 'vm-d' | Should -BeTrue
    }
    It 'an embedded connect is validated like a connect of its own: same fields kept, the message says which' {
        $connect = & $Full 'ssh' 'vm-c' @{ port = 70000 }
        $alone = & $Send $connect
        $a = & $Send (& $Facts 'vm-c' @{ connectBase64 = (& $ToB64 $connect) })
        $a.error.errorId | Should -BeExactly $alone.error.errorId
        $a.error.message | Should -BeExactly ('The request field "connectBase64" is not a valid connect request: ' + $alone.error.message)
        $parsed = & $Parse (& $Facts 'vm-c' @{ connectBase64 = (& $ToB64 (& $Lab 'vm-c' $labC.statePath)) })
        $parsed.connect | Should -BeOfType [hashtable]
        $own = & $Parse (& $Lab 'vm-c' $labC.statePath)
        @($parsed.connect.Keys | Sort-Object) | Should -Be @($own.Keys | Sort-Object)
        foreach ($k in $own.Keys) { $parsed.connect[$k] | Should -Be $own[$k] }
        @($parsed.Keys | Sort-Object) | Should -Be @('connect', 'id', 'op', 'requestBase64', 'timeoutMs')
    }
    It 'call with connectBase64 connects the guest first (after disconnectFirst) and answers the call; the connection stays' {
        (& $Send (& $Lab 'vm-c' $labC.statePath)).ok | Should -BeTrue
        $before = & (Get-Module SnapReady.Host) { $script:SrHostConnections['vm-c'] }
        # disconnectFirst names the same guest: it is disconnected, then connected again, then called.
        $a = & $Send (& $Facts 'vm-c' @{ connectBase64 = (& $ToB64 (& $Lab 'vm-c' $labC.statePath)); disconnectFirst = @('vm-c') })
        $a.ok | Should -BeTrue -Because $a.raw
        $a.result.ok | Should -BeTrue
        $a.result.result.os.version | Should -Be '10.0.17763'
        $after = & (Get-Module SnapReady.Host) { $script:SrHostConnections['vm-c'] }
        [object]::ReferenceEquals($before, $after) | Should -BeFalse
        # Kept: a later call needs no connect, and a connect is reused.
        (& $Send (& $Facts 'vm-c')).result.ok | Should -BeTrue
        (& $Send (& $Lab 'vm-c' $labC.statePath)).result.reused | Should -BeTrue
        # A guest already connected with the same fields is reused, not connected again.
        $a = & $Send (& $Facts 'vm-c' @{ connectBase64 = (& $ToB64 (& $Lab 'vm-c' $labC.statePath)) })
        $a.result.ok | Should -BeTrue
        [object]::ReferenceEquals($after, (& (Get-Module SnapReady.Host) { $script:SrHostConnections['vm-c'] })) | Should -BeTrue
    }
    It 'a failing embedded connect answers exactly what its own connect answers (<name>), and the call does not run' -ForEach @(
        @{ name = 'a missing lab state file'; connect = { & $Lab 'vm-c' (Join-Path $TestDrive 'missing.json') } }
        @{ name = 'a module not matching the pin'; connect = { & $Full 'lab' 'vm-c' @{ labState = $labC.statePath; pinnedGuestCodeHash = ('0' * 64) } } }
        @{ name = 'a module folder that is not SnapReady.Guest'; connect = { & $Full 'local' 'vm-c' @{ guestModulePath = $LabPath } } }
    ) {
        $request = & $connect
        $alone = & $Send $request
        $alone.ok | Should -BeFalse
        Mock -ModuleName SnapReady.Host Invoke-SrHostGuestCall { throw 'must not be called' }
        $a = & $Send (& $Facts 'vm-c' @{ connectBase64 = (& $ToB64 $request) })
        $a.raw | Should -BeExactly $alone.raw
        Should -Invoke -ModuleName SnapReady.Host Invoke-SrHostGuestCall -Times 0 -Exactly
        & $Connected 'vm-c' | Should -BeFalse
    }
}

Describe 'Host ssh, lab-ssh and winrm transports (mocked remoting)' {
    BeforeAll {
        $script:Sentinel = 'S3ntinel-' + [guid]::NewGuid().ToString('N')
        $env:SR_HOST_TEST_USER = 'Administrator'
        $env:SR_HOST_TEST_PASSWORD = $Sentinel
        $env:SR_HOST_TEST_KEY = (New-Item -ItemType File -Path (Join-Path $TestDrive 'id_ed25519') -Force).FullName
        $script:Remote = {
            param([string] $Transport, [string] $Id, [hashtable] $Extra = @{})
            $r = & $Full $Transport $Id @{ usernameEnv = 'SR_HOST_TEST_USER' }
            if ($Transport -eq 'winrm') { $r.passwordEnv = 'SR_HOST_TEST_PASSWORD' }
            foreach ($k in $Extra.Keys) { $r[$k] = $Extra[$k] }
            $r
        }
        $script:RemoteLog = [Collections.Generic.List[string]]::new()
        $script:GuestAnswer = '{"ok":true,"result":{"changed":false},"warnings":[]}'
    }
    BeforeEach {
        $script:RemoteLog.Clear()
        $script:FakeSession = [pscustomobject]@{ State = 'Opened'; Id = 42; ComputerName = 'vm01.corp.example.com' }
        Mock -ModuleName SnapReady.Host New-PSSession { $script:FakeSession }
        Mock -ModuleName SnapReady.Host Remove-PSSession { $script:RemoteLog.Add('Remove-PSSession') } -RemoveParameterType Session
        Mock -ModuleName SnapReady.Host Copy-SrHostItemToSession { $script:RemoteLog.Add("Copy-Item $Path -> $Destination") }
        # The guest folder protection has its own tests (HostGuestFolder.Tests.ps1).
        Mock -ModuleName SnapReady.Host Protect-SrHostGuestFolder { [pscustomobject]@{ applied = $false; path = $null } }
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
            $text = $ScriptBlock.ToString()
            if ($text -match 'Move-Item') { $script:RemoteLog.Add('commit ' + $ArgumentList[1]); return }
            if ($text -match 'Get-FileHash') { $script:RemoteLog.Add('probe ' + $ArgumentList[1]); return [pscustomobject]@{ valid = $false; staging = '/remote/.partial-1'; target = '/remote/' + $ArgumentList[1]; manifestPath = '/remote/' + $ArgumentList[1] + '/' + $ArgumentList[1] + '.psd1' } }
            if ($text -match 'Import-Module') { $script:RemoteLog.Add('import ' + $ArgumentList[0]); return }
            if ($text -match 'Enable-SrLab') { $script:RemoteLog.Add('Enable-SrLab ' + $ArgumentList[0]); return }
            if ($text -match 'Invoke-SrGuestCommand') { $script:RemoteLog.Add('call ' + $ArgumentList[0]); return $script:GuestAnswer }
            throw "unexpected remote script: $text"
        }
    }
    It 'ssh: New-PSSession -HostName -Port -UserName -KeyFilePath -SSHTransport, BatchMode, known hosts file' {
        $a = & $Send (& $Remote 'ssh' 'vm-ssh' @{ port = 2222; keyFileEnv = 'SR_HOST_TEST_KEY'; knownHostsFile = '/etc/snapready/known_hosts' })
        $a.raw | Should -BeExactly '{"ok":true,"result":{"id":"vm-ssh","transport":"ssh","reused":false}}'
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter {
            $HostName -eq 'vm01.corp.example.com' -and $Port -eq 2222 -and $UserName -eq 'Administrator' -and $KeyFilePath -eq $env:SR_HOST_TEST_KEY -and
            $SSHTransport -and $ConnectingTimeout -eq 30000 -and $Options.BatchMode -eq 'yes' -and $Options.UserKnownHostsFile -eq '/etc/snapready/known_hosts' -and
            $Options.StrictHostKeyChecking -eq 'accept-new' -and $null -eq $Credential
        }
        $RemoteLog | Should -Be @(
            'probe SnapReady.Guest'
            "Copy-Item $GuestPath -> /remote/.partial-1"
            'commit SnapReady.Guest'
            'import /remote/SnapReady.Guest/SnapReady.Guest.psd1'
        )
    }
    It 'ssh on a pwsh whose New-PSSession has no -Options (before 7.3) is a config error naming the running version' {
        Mock -ModuleName SnapReady.Host Test-SrHostSshOptionSupport { $false }
        $a = & $Send (& $Remote 'ssh' 'vm-ssh-old')
        & $AssertError $a 'config' 'SrHostPowerShellTooOld' $false
        $a.error.message | Should -BeLike ('*PowerShell 7.3 or later*this runner runs PowerShell {0}*' -f $PSVersionTable.PSVersion)
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 0 -Exactly
    }
    It 'call: dates in the guest answer stay the strings the guest wrote, on any PowerShell 7.2+' {
        $null = & $Send (& $Remote 'ssh' 'vm-dates')
        $script:GuestAnswer = '{"ok":true,"result":{"collectedAt":"2026-11-21T18:05:00Z","os":{"lastBootUpTime":"2026-11-21T17:02:11.5000000+09:00"},"list":["2026-01-01"],"n":1.5},"warnings":[]}'
        try
        {
            $a = & $Send @{ op = 'call'; id = 'vm-dates'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
            $a.raw | Should -BeExactly ('{"ok":true,"result":' + $GuestAnswer + '}')
        }
        finally
        {
            $script:GuestAnswer = '{"ok":true,"result":{"changed":false},"warnings":[]}'
        }
    }
    Context 'execution policy on the guest (Windows 10/11 over WinRM: Windows PowerShell 5.1, Restricted)' {
        BeforeEach {
            # The remote import script runs here for real, with the policy cmdlets mocked.
            Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
                $text = $ScriptBlock.ToString()
                if ($text -match 'Move-Item') { return }
                if ($text -match 'Get-FileHash') { return [pscustomobject]@{ valid = $true; staging = $null; target = '/remote/' + $ArgumentList[1]; manifestPath = '/remote/' + $ArgumentList[1] + '/' + $ArgumentList[1] + '.psd1' } }
                if ($text -match 'Import-Module') { return & $ScriptBlock @ArgumentList }
                if ($text -match 'Invoke-SrGuestCommand') { return $script:GuestAnswer }
                throw "unexpected remote script: $text"
            }
            Mock -ModuleName SnapReady.Host Import-Module { $script:RemoteLog.Add("import $Name") } -ParameterFilter { $Name -like '/remote/*' }
            Mock -ModuleName SnapReady.Host Set-ExecutionPolicy { $script:RemoteLog.Add("Set-ExecutionPolicy $Scope $ExecutionPolicy") }
            Mock -ModuleName SnapReady.Host Get-ExecutionPolicy { 'Undefined' } -ParameterFilter { $Scope -in @('MachinePolicy', 'UserPolicy') }
        }
        It 'sets Bypass for the remote process only, then imports, when the effective policy is <policy>' -ForEach @(
            @{ policy = 'Restricted' }
            @{ policy = 'AllSigned' }
        ) {
            $script:Policy = $policy
            Mock -ModuleName SnapReady.Host Get-ExecutionPolicy { $script:Policy } -ParameterFilter { $null -eq $Scope }
            $a = & $Send (& $Remote 'winrm' "vm-policy-$policy")
            $a.ok | Should -BeTrue
            $RemoteLog | Should -Be @('Set-ExecutionPolicy Process Bypass', 'import /remote/SnapReady.Guest/SnapReady.Guest.psd1')
        }
        It 'changes nothing when the policy already allows the module (<policy>)' -ForEach @(
            @{ policy = 'RemoteSigned' }
            @{ policy = 'Unrestricted' }
            @{ policy = 'Bypass' }
        ) {
            $script:Policy = $policy
            Mock -ModuleName SnapReady.Host Get-ExecutionPolicy { $script:Policy } -ParameterFilter { $null -eq $Scope }
            (& $Send (& $Remote 'winrm' "vm-policy-ok-$policy")).ok | Should -BeTrue
            Should -Invoke -ModuleName SnapReady.Host Set-ExecutionPolicy -Times 0 -Exactly
            $RemoteLog | Should -Be @('import /remote/SnapReady.Guest/SnapReady.Guest.psd1')
        }
        It 'answers config / SrHostExecutionPolicy, naming the policy and scope, when Group Policy (<scope>) forbids it' -ForEach @(
            @{ scope = 'MachinePolicy' }
            @{ scope = 'UserPolicy' }
        ) {
            $script:GpoScope = $scope
            Mock -ModuleName SnapReady.Host Get-ExecutionPolicy { 'Restricted' } -ParameterFilter { $null -eq $Scope }
            Mock -ModuleName SnapReady.Host Get-ExecutionPolicy { if ($Scope -eq $script:GpoScope) { 'AllSigned' } else { 'Undefined' } } -ParameterFilter { $Scope -in @('MachinePolicy', 'UserPolicy') }
            $a = & $Send (& $Remote 'winrm' "vm-gpo-$scope")
            & $AssertError $a 'config' 'SrHostExecutionPolicy' $false
            $a.error.message | Should -BeLike "*execution policy AllSigned is set by Group Policy (scope $scope)*"
            Should -Invoke -ModuleName SnapReady.Host Set-ExecutionPolicy -Times 0 -Exactly
            $RemoteLog | Should -Not -Contain 'import /remote/SnapReady.Guest/SnapReady.Guest.psd1'
            $RemoteLog | Should -Contain 'Remove-PSSession'
        }
    }
    It 'ssh: keyFileEnv and knownHostsFile null mean no key file and no known hosts options' {
        $null = & $Send (& $Remote 'ssh' 'vm-ssh-default')
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter {
            $Port -eq 22 -and -not $PSBoundParameters.ContainsKey('KeyFilePath') -and $Options.Count -eq 1 -and $Options.BatchMode -eq 'yes'
        }
    }
    It 'ssh: a key file that does not exist is a config error naming the variable' {
        $env:SR_HOST_TEST_NOKEY = Join-Path $TestDrive 'no-such-key'
        $a = & $Send (& $Remote 'ssh' 'vm-ssh-nokey' @{ keyFileEnv = 'SR_HOST_TEST_NOKEY' })
        & $AssertError $a 'config' 'SrHostKeyFileNotFound' $false
        $a.error.message | Should -Not -Match 'no-such-key'
    }
    It 'lab-ssh opens an SSH session exactly like ssh, ships the lab module too and enables the lab in the session' {
        $a = & $Send (& $Remote 'lab-ssh' 'vm-ssh-lab' @{ port = 2222; keyFileEnv = 'SR_HOST_TEST_KEY'; knownHostsFile = '/etc/snapready/known_hosts'; labState = '/srv/lab/vm.json' })
        $a.raw | Should -BeExactly '{"ok":true,"result":{"id":"vm-ssh-lab","transport":"lab-ssh","reused":false}}'
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter {
            $HostName -eq 'vm01.corp.example.com' -and $Port -eq 2222 -and $UserName -eq 'Administrator' -and $KeyFilePath -eq $env:SR_HOST_TEST_KEY -and
            $SSHTransport -and $ConnectingTimeout -eq 30000 -and $Options.BatchMode -eq 'yes' -and $Options.UserKnownHostsFile -eq '/etc/snapready/known_hosts' -and
            $Options.StrictHostKeyChecking -eq 'accept-new' -and $null -eq $Credential
        }
        $RemoteLog | Should -Be @(
            'probe SnapReady.Guest'
            "Copy-Item $GuestPath -> /remote/.partial-1"
            'commit SnapReady.Guest'
            'import /remote/SnapReady.Guest/SnapReady.Guest.psd1'
            'probe SnapReady.Lab'
            "Copy-Item $LabPath -> /remote/.partial-1"
            'commit SnapReady.Lab'
            'import /remote/SnapReady.Lab/SnapReady.Lab.psd1'
            'Enable-SrLab /srv/lab/vm.json'
        )
    }
    It 'lab-ssh refuses an option-like user name like ssh does' {
        $env:SR_HOST_TEST_DASH_USER = '-oProxyCommand=x'
        $a = & $Send (& $Remote 'lab-ssh' 'vm-ssh-lab-dash' @{ usernameEnv = 'SR_HOST_TEST_DASH_USER' })
        & $AssertError $a 'config' 'SrHostUserNameInvalid' $false
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 0 -Exactly
    }
    It 'ssh and winrm ship no lab module and never enable the lab' {
        (& $Send (& $Remote 'ssh' 'vm-ssh-nolab')).ok | Should -BeTrue
        (& $Send (& $Remote 'winrm' 'vm-winrm-nolab')).ok | Should -BeTrue
        $RemoteLog | Should -Not -Contain 'probe SnapReady.Lab'
        @($RemoteLog | Where-Object { $_ -like 'Enable-SrLab*' }) | Should -BeNullOrEmpty
    }
    It 'an existing valid remote copy is not copied again' {
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
            $text = $ScriptBlock.ToString()
            if ($text -match 'Get-FileHash') { return [pscustomobject]@{ valid = $true; staging = $null; target = '/remote/SnapReady.Guest'; manifestPath = '/remote/SnapReady.Guest/SnapReady.Guest.psd1' } }
        }
        (& $Send (& $Remote 'ssh' 'vm-ssh-present')).ok | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Host Copy-SrHostItemToSession -Times 0 -Exactly
    }
    It 'reuses an Opened session, replaces a broken one, and replaces one whose connection fields changed' {
        (& $Send (& $Remote 'ssh' 'vm-reuse')).result.reused | Should -BeFalse
        (& $Send (& $Remote 'ssh' 'vm-reuse')).result.reused | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly
        $FakeSession.State = 'Broken'
        (& $Send (& $Remote 'ssh' 'vm-reuse')).result.reused | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 2 -Exactly
        $RemoteLog | Should -Contain 'Remove-PSSession'
        (& $Send (& $Remote 'ssh' 'vm-reuse' @{ port = 2200 })).result.reused | Should -BeFalse
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 3 -Exactly
    }
    It 'call runs Invoke-SrGuestCommand in the session with the request as an argument' {
        $null = & $Send (& $Remote 'ssh' 'vm-call')
        $request = & $Guest 'Get-SrGuestFact'
        $a = & $Send @{ op = 'call'; id = 'vm-call'; requestBase64 = $request }
        $a.raw | Should -BeExactly ('{"ok":true,"result":' + $GuestAnswer + '}')
        $RemoteLog[-1] | Should -BeExactly "call $request"
    }
    It 'call: an SrGuestUnreachable answer is unreachable and drops the session' {
        $null = & $Send (& $Remote 'ssh' 'vm-gone')
        $script:GuestAnswer = '{"ok":false,"error":{"message":"lab guest vm is unreachable (rebooting until x)","category":"ConnectionError","errorId":"SrGuestUnreachable,Invoke-SrLabOperation","retryable":true}}'
        try
        {
            & $AssertError (& $Send @{ op = 'call'; id = 'vm-gone'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'unreachable' 'SrGuestUnreachable*' $true
        }
        finally
        {
            $script:GuestAnswer = '{"ok":true,"result":{"changed":false},"warnings":[]}'
        }
        $RemoteLog[-1] | Should -Be 'Remove-PSSession'
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-gone'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'protocol' 'SrHostNotConnected' $false
    }
    It 'call: a broken session or a transport failure is unreachable and drops the session' {
        $null = & $Send (& $Remote 'ssh' 'vm-drop')
        $FakeSession.State = 'Broken'
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-drop'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'unreachable' 'SrHostSessionBroken' $true
        $RemoteLog | Should -Contain 'Remove-PSSession'
        $FakeSession.State = 'Opened'
        $null = & $Send (& $Remote 'ssh' 'vm-drop')
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand { throw [System.Management.Automation.Remoting.PSRemotingTransportException]::new('The SSH client session has ended with error message: The SSH transport process has abruptly terminated causing this remote session to break.') }
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-drop'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'unreachable' 'SrHostUnreachable' $true
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-drop'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'protocol' 'SrHostNotConnected' $false
    }
    It 'call: a remote call over its timeoutMs is a retryable timeout (SrHostCallTimeout) and drops the session' {
        $null = & $Send (& $Remote 'ssh' 'vm-slow')
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
            $script:RemoteLog.Add("limit $TimeoutMilliseconds")
            throw (& (Get-Module SnapReady.Host) { New-SrHostErrorRecord -Category timeout -ErrorId 'SrHostCallTimeout' -Retryable $true -Message 'the call on guest vm-slow did not finish within 1.2 s; the session was closed' })
        }
        $a = & $Send @{ op = 'call'; id = 'vm-slow'; requestBase64 = (& $Guest 'Get-SrGuestFact'); timeoutMs = 1234 }
        & $AssertError $a 'timeout' 'SrHostCallTimeout' $true
        $RemoteLog | Should -Contain 'limit 1234'
        $RemoteLog[-1] | Should -Be 'Remove-PSSession'
        & $AssertError (& $Send @{ op = 'call'; id = 'vm-slow'; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'protocol' 'SrHostNotConnected' $false
    }
    It 'connect: a timeoutMs below 30 s shortens the SSH connecting time out, and bounds every remote step' {
        $r = & $Remote 'ssh' 'vm-short'
        $r['timeoutMs'] = 5000
        (& $Send $r).ok | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter { $ConnectingTimeout -eq 5000 }
        Should -Invoke -ModuleName SnapReady.Host Invoke-SrHostSessionCommand -ParameterFilter { $TimeoutMilliseconds -gt 5000 -or $TimeoutMilliseconds -lt 1 } -Times 0 -Exactly
        Should -Invoke -ModuleName SnapReady.Host Copy-SrHostItemToSession -ParameterFilter { $TimeoutMilliseconds -gt 5000 -or $TimeoutMilliseconds -lt 1 } -Times 0 -Exactly
        Should -Invoke -ModuleName SnapReady.Host Copy-SrHostItemToSession -Times 1 -Exactly
    }
    It 'call with connectBase64: the connect is bounded by its own timeoutMs, the call by the outer one' {
        $connect = & $Remote 'ssh' 'vm-folded'
        $connect['timeoutMs'] = 5000
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
            $text = $ScriptBlock.ToString()
            if ($text -match 'Get-FileHash') { $script:RemoteLog.Add("probe $TimeoutMilliseconds"); return [pscustomobject]@{ valid = $true; staging = $null; target = '/remote/SnapReady.Guest'; manifestPath = '/remote/SnapReady.Guest/SnapReady.Guest.psd1' } }
            if ($text -match 'Import-Module') { $script:RemoteLog.Add("import $TimeoutMilliseconds"); return }
            if ($text -match 'Invoke-SrGuestCommand') { $script:RemoteLog.Add("call $TimeoutMilliseconds"); return $script:GuestAnswer }
        }
        $a = & $Send @{ op = 'call'; id = 'vm-folded'; requestBase64 = (& $Guest 'Get-SrGuestFact'); timeoutMs = 61234; connectBase64 = (& $ToB64 $connect) }
        $a.raw | Should -BeExactly ('{"ok":true,"result":' + $GuestAnswer + '}')
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter { $ConnectingTimeout -eq 5000 }
        @($RemoteLog | Where-Object { $_ -match '^(probe|import) ' }).Count | Should -Be 2
        foreach ($line in @($RemoteLog | Where-Object { $_ -match '^(probe|import) ' })) { [int]$line.Split(' ')[1] | Should -BeLessOrEqual 5000 }
        $RemoteLog[-1] | Should -BeExactly 'call 61234'
    }
    It 'call with connectBase64: a failing connect answers as the connect would, and nothing is called' {
        Mock -ModuleName SnapReady.Host New-PSSession { throw [System.Management.Automation.Remoting.PSRemotingTransportException]::new('ssh: connect to host vm01 port 22: Connection refused') }
        $connect = & $Remote 'ssh' 'vm-folded-fail'
        $alone = & $Send $connect
        & $AssertError $alone 'unreachable' 'SrHostUnreachable' $true
        $a = & $Send @{ op = 'call'; id = 'vm-folded-fail'; requestBase64 = (& $Guest 'Get-SrGuestFact'); connectBase64 = (& $ToB64 $connect) }
        $a.raw | Should -BeExactly $alone.raw
        $RemoteLog | Should -Not -Contain ('call ' + (& $Guest 'Get-SrGuestFact'))
    }
    It 'connect failures: <name> is <category>' -ForEach @(
        @{ name = 'connection refused'; message = 'ssh: connect to host vm01 port 22: Connection refused'; category = 'unreachable'; retryable = $true }
        @{ name = 'a time out'; message = 'The SSH client session has ended: Connection timed out'; category = 'unreachable'; retryable = $true }
        @{ name = 'WinRM cannot complete'; message = 'Connecting to remote server vm01 failed with the following error message : WinRM cannot complete the operation.'; category = 'unreachable'; retryable = $true }
        @{ name = 'access denied'; message = 'Connecting to remote server vm01 failed with the following error message : Access is denied.'; category = 'auth'; retryable = $false }
        @{ name = 'logon failure'; message = 'The user name or password is incorrect.'; category = 'auth'; retryable = $false }
        @{ name = 'publickey'; message = 'root@vm01: Permission denied (publickey).'; category = 'auth'; retryable = $false }
    ) {
        $script:ConnectMessage = $message
        Mock -ModuleName SnapReady.Host New-PSSession { throw [System.Management.Automation.Remoting.PSRemotingTransportException]::new($script:ConnectMessage) }
        $a = & $Send (& $Remote 'winrm' 'vm-fail')
        $a.error.category | Should -Be $category
        $a.error.retryable | Should -Be $retryable
        $a.error.message | Should -BeLike "cannot connect to vm01.corp.example.com over winrm:*$message*"
    }
    It 'a failure while shipping the module closes the session and is a guest error' {
        Mock -ModuleName SnapReady.Host Copy-SrHostItemToSession { throw 'There is not enough space on the disk.' }
        $a = & $Send (& $Remote 'ssh' 'vm-copyfail')
        & $AssertError $a 'guest' 'SrHostRemoteModuleFailed' $false
        $a.error.message | Should -BeLike 'cannot prepare the guest module on vm01.corp.example.com: There is not enough space*'
        Mock -ModuleName SnapReady.Host Copy-SrHostItemToSession { throw [System.Management.Automation.Remoting.PSRemotingTransportException]::new('The SSH transport process has abruptly terminated causing this remote session to break.') }
        $a = & $Send (& $Remote 'ssh' 'vm-copyfail')
        & $AssertError $a 'unreachable' 'SrHostUnreachable' $true
        Should -Invoke -ModuleName SnapReady.Host Remove-PSSession -Times 2 -Exactly
    }
    It 'winrm: credential built in pwsh, -UseSSL on https, the port sent, certificate checks kept (no session option)' {
        $a = & $Send (& $Remote 'winrm' 'vm-winrm')
        $a.ok | Should -BeTrue
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter {
            $ComputerName -eq 'vm01.corp.example.com' -and $Port -eq 5986 -and $UseSSL -and
            $Credential.UserName -eq 'Administrator' -and $Credential.GetNetworkCredential().Password -ceq $env:SR_HOST_TEST_PASSWORD -and
            ($null -eq $SessionOption -or (-not $SessionOption.SkipCACheck -and -not $SessionOption.SkipCNCheck))
        }
    }
    It 'winrm: skipCertCheck adds -SkipCACheck -SkipCNCheck; https false connects without -UseSSL to the port sent' {
        $null = & $Send (& $Remote 'winrm' 'vm-winrm-skip' @{ skipCertCheck = $true })
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter { $SessionOption.SkipCACheck -and $SessionOption.SkipCNCheck -and $Port -eq 5986 }
        $null = & $Send (& $Remote 'winrm' 'vm-winrm-http' @{ https = $false; port = 5985 })
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 1 -Exactly -ParameterFilter { $Port -eq 5985 -and -not $UseSSL }
    }
    It 'the password sentinel appears in no answer of any op or failure' {
        $requests = @(
            (& $Remote 'winrm' 'vm-secret')
            (& $Remote 'winrm' 'vm-secret')
            @{ op = 'call'; id = 'vm-secret'; requestBase64 = (& $Guest 'Get-SrGuestFact') }
            @{ op = 'disconnect'; id = 'vm-secret' }
            (& $Remote 'winrm' 'vm-secret' @{ port = 0 })
            (& $Remote 'winrm' 'vm-secret' @{ passwordEnv = 'SR_HOST_TEST_UNSET_XYZ' })
            (& $Remote 'winrm' 'vm-secret' @{ usernameEnv = 'SR_HOST_TEST_PASSWORD' })
        )
        foreach ($r in $requests) { $null = & $Send $r }
        Mock -ModuleName SnapReady.Host New-PSSession { throw [System.Management.Automation.Remoting.PSRemotingTransportException]::new("Access is denied for $($Credential.UserName) $Credential") }
        $null = & $Send (& $Remote 'winrm' 'vm-secret2')
        Mock -ModuleName SnapReady.Host New-PSSession { throw 'something unexpected' }
        $null = & $Send (& $Remote 'winrm' 'vm-secret3')
        $all = $Lines -join "`n"
        $all | Should -Not -BeNullOrEmpty
        $all.Contains($Sentinel) | Should -BeFalse
    }
    It 'the username read from a variable holding the password still never appears' {
        $a = & $Send (& $Remote 'ssh' 'vm-secret-user' @{ usernameEnv = 'SR_HOST_TEST_PASSWORD' })
        $a.raw.Contains($Sentinel) | Should -BeFalse
    }
}

Describe 'Host injection canary' {
    BeforeAll {
        $script:Canary = Join-Path ([IO.Path]::GetTempPath()) ('sr-host-canary-' + [guid]::NewGuid().ToString('N'))
        $c = $Canary
        $script:Hostile = @(
            "x'; New-Item -ItemType File -Path '$c'; '"
            "x`"; New-Item -ItemType File -Path `"$c`"; `""
            "`$(New-Item -ItemType File -Path '$c')"
            "x; New-Item -ItemType File -Path '$c'"
            "x & New-Item -ItemType File -Path '$c' & calc"
            "x | Out-File '$c'"
            "-oProxyCommand=touch $c"
            "@(New-Item -ItemType File -Path '$c')"
        )
        $script:labH = New-SrLabGuest -Path (Join-Path $TestDrive 'hostile.json')
        Mock -ModuleName SnapReady.Host New-PSSession { [pscustomobject]@{ State = 'Opened' } }
        Mock -ModuleName SnapReady.Host Copy-SrHostItemToSession { }
        Mock -ModuleName SnapReady.Host Protect-SrHostGuestFolder { [pscustomobject]@{ applied = $false; path = $null } }
        Mock -ModuleName SnapReady.Host Remove-PSSession { } -RemoveParameterType Session
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand { if ($ScriptBlock.ToString() -match 'Get-FileHash') { [pscustomobject]@{ valid = $true; manifestPath = '/r/x.psd1' } } }
    }
    AfterAll {
        if (Test-Path -LiteralPath $Canary) { Remove-Item -LiteralPath $Canary -Force }
    }
    It 'hostile value #<_> stays data in every field' -ForEach @(0..7) {
        $h = $Hostile[$_]
        $env:SR_HOST_TEST_HOSTILE = $h
        $requests = @(
            (& $Lab $h $labH.statePath)
            @{ op = 'call'; id = $h; requestBase64 = (& $Guest 'Save-SrInstaller' @{ Source = ('C:\' + $h) }) }
            @{ op = 'call'; id = $h; requestBase64 = (& $Guest $h) }
            @{ op = 'call'; id = $h; requestBase64 = $h }
            @{ op = 'disconnect'; id = $h }
            @{ op = $h }
            (& $Full 'ssh' 'vm' @{ host = $h; usernameEnv = 'SR_HOST_TEST_HOSTILE' })
            (& $Full 'ssh' 'vm' @{ host = 'vm01'; usernameEnv = 'SR_HOST_TEST_HOSTILE' })
            (& $Full 'lab-ssh' 'vm' @{ host = $h; usernameEnv = 'SR_HOST_TEST_HOSTILE'; labState = ('/tmp/' + $h + '.json') })
            (& $Full 'lab-ssh' 'vm' @{ host = 'vm01'; usernameEnv = 'SR_HOST_TEST_HOSTILE' })
            (& $Full 'winrm' 'vm' @{ host = 'vm01'; usernameEnv = 'SR_HOST_TEST_HOSTILE'; passwordEnv = 'SR_HOST_TEST_HOSTILE' })
            (& $Full 'lab' 'vm' @{ labState = ('/tmp/' + $h) })
            (& $Full 'lab' 'vm' @{ labState = ('/tmp/' + $h + '.json') })
            (& $Full 'local' 'vm' @{ labState = ('/tmp/' + $h + '.json') })
            @{ op = 'connect'; id = 'vm'; transport = 'local'; guestModulePath = ('/tmp/' + $h); pinnedGuestCodeHash = $Hash }
            (& $Full 'ssh' 'vm' @{ host = 'vm01'; usernameEnv = 'SR_HOST_TEST_USER'; knownHostsFile = ('/tmp/' + $h) })
            @{ op = 'connect'; id = 'vm'; transport = $h; guestModulePath = $GuestPath; pinnedGuestCodeHash = $Hash }
            @{ op = 'connect'; id = 'vm'; transport = 'local'; guestModulePath = $GuestPath; pinnedGuestCodeHash = $h }
            @{ op = 'call'; id = $h; requestBase64 = (& $Guest 'Get-SrGuestFact'); connectBase64 = (& $ToB64 (& $Lab $h $labH.statePath)) }
            @{ op = 'call'; id = $h; requestBase64 = (& $Guest 'Get-SrGuestFact'); connectBase64 = $h }
            @{ op = 'ping'; disconnectFirst = @($h, ('/tmp/' + $h)) }
        )
        foreach ($r in $requests) { $null = & $Send $r }
        Test-Path -LiteralPath $Canary | Should -BeFalse
        # The hostile id is an ordinary key: it connected and disconnected
        # (last by disconnectFirst).
        & $AssertError (& $Send @{ op = 'call'; id = $h; requestBase64 = (& $Guest 'Get-SrGuestFact') }) 'protocol' 'SrHostNotConnected' $false
        # A hostile user name from the environment never reaches ssh as an option.
        Should -Invoke -ModuleName SnapReady.Host New-PSSession -Times 0 -Exactly -ParameterFilter {
            ($SSHTransport -and ($UserName -like '-*' -or $UserName -match '\s' -or $HostName -ne 'vm01')) -or (-not $SSHTransport -and $ComputerName -ne 'vm01')
        }
    }
}

Describe 'Host stage op over a mocked session (installer.stage: runner; simulated remoting)' {
    BeforeAll {
        $env:SR_HOST_TEST_USER = 'Administrator'
        $script:StageLog = [Collections.Generic.List[string]]::new()
        $script:Installer = Join-Path $TestDrive 'qemu-ga-x86_64.msi'
        [IO.File]::WriteAllBytes($Installer, [byte[]](1..200))
        $script:InstallerSha = (Get-FileHash -LiteralPath $Installer -Algorithm SHA256).Hash
        $script:StageRequest = {
            param([string] $Id, [string] $FileName = 'qemu-ga-x86_64.msi')
            @{ op = 'stage'; id = $Id; path = $Installer; sha256 = $InstallerSha.ToLowerInvariant(); destinationDirectory = 'C:\ProgramData\snapready\installers'; fileName = $FileName; signerThumbprint = $null; timeoutMs = 60000 }
        }
    }
    BeforeEach {
        $script:StageLog.Clear()
        $script:FakeSession = [pscustomobject]@{ State = 'Opened'; Id = 43; ComputerName = 'vm01.corp.example.com' }
        Mock -ModuleName SnapReady.Host New-PSSession { $script:FakeSession }
        Mock -ModuleName SnapReady.Host Remove-PSSession { $script:StageLog.Add('Remove-PSSession') } -RemoveParameterType Session
        Mock -ModuleName SnapReady.Host Copy-SrHostItemToSession { }
        Mock -ModuleName SnapReady.Host Protect-SrHostGuestFolder { $script:StageLog.Add("protect $Folder"); [pscustomobject]@{ applied = $true; path = 'C:\ProgramData\snapready\' + $Folder } }
        # The guest: module probe/commit/import for connect; Save-SrInstaller answers "not found" until an upload is given.
        Mock -ModuleName SnapReady.Host Invoke-SrHostSessionCommand {
            $text = $ScriptBlock.ToString()
            if ($text -match 'FromBase64String') { $script:StageLog.Add("chunk $($ArgumentList[0]) @$($ArgumentList[1])"); return [long]$ArgumentList[1] + [Convert]::FromBase64String($ArgumentList[2]).Length }
            if ($text -match 'snapready-uploads') { $script:StageLog.Add("prepare $($ArgumentList[0]) $($ArgumentList[1])"); return 'C:\ProgramData\snapready\uploads\' + $ArgumentList[0] }
            if ($text -match 'Invoke-SrGuestCommand')
            {
                $request = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($ArgumentList[0])) | ConvertFrom-Json
                $p = $request.parameters
                $script:StageLog.Add("Save-SrInstaller Source=$($p.Source) FileName=$($p.FileName) Upload=$(if ($p.PSObject.Properties['UploadPath']) { $p.UploadPath })")
                if ($p.PSObject.Properties['UploadPath']) { return '{"ok":true,"result":{"changed":true,"rebootRequired":false,"detail":"staged","path":"C:\\ProgramData\\snapready\\installers\\' + $p.FileName + '"}}' }
                return '{"ok":false,"error":{"message":"not found","category":"ObjectNotFound","errorId":"SrInstallerNotFound,Save-SrInstaller","retryable":false}}'
            }
            if ($text -match 'Get-FileHash') { return [pscustomobject]@{ valid = $true; staging = $null; target = '/remote/' + $ArgumentList[1]; manifestPath = '/remote/' + $ArgumentList[1] + '/' + $ArgumentList[1] + '.psd1' } }
            if ($text -match 'Remove-Item') { $script:StageLog.Add("remove $($ArgumentList[0])"); return }
            return
        }
        $request = & $Full 'ssh' 'vm-stage' @{ usernameEnv = 'SR_HOST_TEST_USER' }
        (& $Send $request).ok | Should -BeTrue
        $StageLog | Should -Contain 'protect modules'
        $script:StageLog.Clear()
    }
    AfterEach {
        $null = & $Send @{ op = 'disconnect'; id = 'vm-stage' }
    }
    It 'asks the guest first, then copies in chunks through the session (not Copy-Item -ToSession) under a fixed per-guest name, and passes fileName to both Save-SrInstaller calls' {
        $a = & $Send (& $StageRequest 'vm-stage' 'renamed.msi')
        $a.ok | Should -BeTrue -Because $a.raw
        $a.result.ok | Should -BeTrue
        $a.result.result.copied | Should -BeTrue
        $idHash = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes('vm-stage'))).Replace('-', '').Substring(0, 16).ToLowerInvariant()
        $upload = 'C:\ProgramData\snapready\uploads\{0}-{1}.partial' -f $idHash, $InstallerSha.ToLowerInvariant()
        @($StageLog) | Should -Be @(
            'Save-SrInstaller Source=C:\ProgramData\snapready\installers\renamed.msi FileName=renamed.msi Upload='
            'protect uploads'
            ('prepare {0}-{1}.partial {0}' -f $idHash, $InstallerSha.ToLowerInvariant())
            "chunk $upload @0"
            "Save-SrInstaller Source=$Installer FileName=renamed.msi Upload=$upload"
            "remove $upload"
        )
        Should -Invoke -ModuleName SnapReady.Host Copy-SrHostItemToSession -Times 0 -Exactly -ParameterFilter { $Path -eq $Installer }
    }
    It 'a copy that runs past its limit (simulated) answers a retryable timeout and drops the connection; the upload is left for the next stage to delete' {
        Mock -ModuleName SnapReady.Host Send-SrHostFileToSession {
            $script:StageLog.Add("send deadline-in-future=$($Deadline -gt [datetime]::UtcNow)")
            throw (& (Get-Module SnapReady.Host) { New-SrHostErrorRecord -Category timeout -ErrorId 'SrHostCallTimeout' -Retryable $true -Message 'copying qemu-ga-x86_64.msi to guest vm-stage (at byte 0 of 200) did not finish within 1 s; the session was closed' })
        }
        $a = & $Send (& $StageRequest 'vm-stage')
        & $AssertError $a 'timeout' 'SrHostCallTimeout' $true
        $a.error.message | Should -BeLike "cannot copy the installer '$Installer' to guest vm-stage: copying*did not finish*"
        $StageLog | Should -Contain 'send deadline-in-future=True'
        $StageLog | Should -Contain 'Remove-PSSession'
        @($StageLog | Where-Object { $_ -like 'Save-SrInstaller*Upload=C:*' }) | Should -BeNullOrEmpty
        & $AssertError (& $Send (& $StageRequest 'vm-stage')) 'protocol' 'SrHostNotConnected' $false
    }
    It 'stage with connectBase64 connects the guest first; with disconnectFirst it drops another one' {
        $null = & $Send @{ op = 'disconnect'; id = 'vm-stage' }
        (& $Send (& $Full 'ssh' 'vm-stage-other' @{ usernameEnv = 'SR_HOST_TEST_USER' })).ok | Should -BeTrue
        $request = & $StageRequest 'vm-stage'
        $request['connectBase64'] = & $ToB64 (& $Full 'ssh' 'vm-stage' @{ usernameEnv = 'SR_HOST_TEST_USER' })
        $request['disconnectFirst'] = @('vm-stage-other')
        $a = & $Send $request
        $a.ok | Should -BeTrue -Because $a.raw
        $a.result.result.copied | Should -BeTrue
        (& (Get-Module SnapReady.Host) { @($script:SrHostConnections.Keys) }) | Should -Not -Contain 'vm-stage-other'
        (& (Get-Module SnapReady.Host) { @($script:SrHostConnections.Keys) }) | Should -Contain 'vm-stage'
        $StageLog | Should -Contain 'Remove-PSSession'
    }
    It 'the stage op needs a connection first' {
        & $AssertError (& $Send (& $StageRequest 'vm-never-connected')) 'protocol' 'SrHostNotConnected' $false
    }
}
