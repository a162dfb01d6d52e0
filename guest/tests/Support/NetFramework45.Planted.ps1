# Planted examples for NetFramework45.Tests.ps1: parsed by the .NET API gate,
# never run. Each "bad" line uses something .NET Framework 4.5 / Windows
# PowerShell 5.1 lacks; the test expects exactly these findings, by line.
# The "good" lines look alike and must not be reported.
Set-StrictMode -Version Latest

# bad: Path.GetRelativePath is .NET Core 2.0+ only
$relative = [System.IO.Path]::GetRelativePath('a', 'b')
# bad: RuntimeInformation is in mscorlib from .NET Framework 4.7.1 only
$architecture = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture
# bad: System.Text.Json does not exist on .NET Framework
$json = [System.Text.Json.JsonSerializer]::Serialize($relative)
# bad: no such PowerShell type
$internal = [System.Management.Automation.Internal.SomethingNew]
# bad: argument count: String.Compare takes 2 to 6 arguments
$compared = [string]::Compare('a')
# bad: no StringBuilder constructor takes 5 arguments
$builder = New-Object -TypeName System.Text.StringBuilder -ArgumentList 'a', 1, 2, 3, 4
# bad: [semver] is an accelerator of PowerShell 6+ only
$version = [semver]'1.0.0'
# bad: ValidateRange(kind) is PowerShell 6.1+ (5.1 has only the min/max constructor)
function Test-Planted { [CmdletBinding()] param([ValidateRange('Positive')] [int] $Count) $Count }

# good
$joined = [string]::Join(',', @('a', 'b'))
$combined = [System.IO.Path]::Combine('a', 'b', 'c', 'd', 'e')
$concatenated = [string]::Concat('a', 'b', 'c', 'd', 'e', 'f')
$table = [ordered]@{ a = 1 }
$list = New-Object -TypeName System.Collections.Generic.List[string]
$mutex = New-Object System.Threading.Mutex $false, 'name'
$date = [datetime]::new(2020, 1, 1)
$span = [timespan]::Zero
$map = [hashtable]::new()
$escaped = [System.Management.Automation.WildcardPattern]::Escape('a*')
$tls = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
$uid = [guid]::NewGuid().ToString()
$com = New-Object -ComObject 'Shell.Application'
$dictionary = New-Object 'System.Collections.Generic.Dictionary[string,int]'
$environment = [Environment]::GetEnvironmentVariable('PATH', [EnvironmentVariableTarget]::Process)
$pscustom = [pscustomobject]@{ a = $relative; b = $architecture; c = $json; d = $internal; e = $compared; f = $builder; g = $version }
function Test-PlantedGood { [CmdletBinding()] [OutputType([string])] param([Parameter(Mandatory = $true, DontShow = $true)] [ValidateRange(1, 10)] [int] $Count) "$Count" }
