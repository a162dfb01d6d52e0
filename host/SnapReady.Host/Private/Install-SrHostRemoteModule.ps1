function Install-SrHostRemoteModule
{
    <#
    .SYNOPSIS
        Makes sure a module is on the remote side of a session, then imports it there.

    .DESCRIPTION
        The remote copy lives in a folder named by the pinned guest code
        hash: $env:ProgramData\snapready\modules\<hash>\<Name> on Windows,
        [IO.Path]::GetTempPath()/snapready-modules/<hash>/<Name> elsewhere.
        On a Windows guest, Protect-SrHostGuestFolder first makes sure that
        $env:ProgramData\snapready and its modules folder are real folders
        owned by SYSTEM or Administrators, with a DACL for SYSTEM and
        Administrators only, and that nothing under modules\<hash> belongs
        to anyone else (config / SrHostGuestFolderUnsafe otherwise, nothing
        copied); not applied on a remote that is not Windows (lab-ssh on
        Linux). The remote side compares the SHA-256 of every file of its copy with
        the local manifest (Get-SrHostFileManifest). When the copy is
        missing or differs (a crashed copy, tampering, a lab module that
        changed under the same guest hash), the folder is copied with
        Copy-Item -ToSession into a unique staging folder next to it, and
        then renamed into place (a bad copy is renamed aside first), so that
        a half-copied module is never imported and two runners copying at
        once do not clash. The staged copy is compared with the manifest
        before it is renamed into place: a difference deletes it and answers
        guest / SrHostModuleCopyMismatch. As the folders are protected first,
        no local user can change a checked copy before it is imported. Staging folders more than a day old (a copy that
        timed out) are deleted by the next probe. The module is then imported in the session
        (Import-Module -Force).
        Execution policy: a Windows PowerShell 5.1 endpoint (WinRM on
        Windows 10/11) runs with the client default Restricted, which
        refuses to load the module's scripts. When the effective policy
        (Get-ExecutionPolicy) is neither Unrestricted, RemoteSigned nor
        Bypass (files copied through a session carry no mark of the web, so
        RemoteSigned loads them), the remote side sets Bypass for its own
        process only (Set-ExecutionPolicy -Scope Process), which changes
        nothing on disk and ends with the session. A Group Policy
        (Get-ExecutionPolicy -Scope MachinePolicy / UserPolicy) wins over the
        Process scope: then nothing is changed and the answer is config /
        SrHostExecutionPolicy, naming the policy and its scope. Only the enum
        names of the policies are compared, never localized text.

    .PARAMETER Session
        The open PSSession (any object New-PSSession returned).

    .PARAMETER ModulePath
        Local module folder; its leaf name is the module name.

    .PARAMETER CodeHash
        The pinned guest code hash (64 hex digits).

    .PARAMETER Deadline
        UTC time by which everything must be done: each remote step
        (Invoke-SrHostSessionCommand, Copy-SrHostItemToSession) gets what is
        left of it, and one that overruns closes the session and throws a
        retryable 'timeout' error (SrHostCallTimeout).

    .EXAMPLE
        Install-SrHostRemoteModule -Session $session -ModulePath '/repo/guest/SnapReady.Guest' -CodeHash $hash -Deadline ([datetime]::UtcNow.AddMinutes(5))

    .OUTPUTS
        System.Management.Automation.PSCustomObject: path (remote manifest path), copied,
        executionPolicyBypassed.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [object]
        $Session,

        [Parameter(Mandatory = $true)]
        [string]
        $ModulePath,

        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[0-9a-f]{64}$')]
        [string]
        $CodeHash,

        [Parameter(Mandatory = $true)]
        [datetime]
        $Deadline
    )

    $localRoot = [System.IO.Path]::GetFullPath($ModulePath).TrimEnd([System.IO.Path]::DirectorySeparatorChar)
    $name = Split-Path -Path $localRoot -Leaf
    $manifest = Get-SrHostFileManifest -Path $localRoot

    # Runs remotely (PowerShell 5.1 or 7): locate, verify, and prepare a staging folder.
    $probe = {
        param([string] $Hash, [string] $Name, [hashtable] $Manifest)
        $ErrorActionPreference = 'Stop'
        if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT)
        {
            $root = Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath 'snapready') -ChildPath 'modules'
        }
        else
        {
            $root = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath 'snapready-modules'
        }
        $hashFolder = Join-Path -Path $root -ChildPath $Hash
        $target = Join-Path -Path $hashFolder -ChildPath $Name
        $valid = $false
        if (Test-Path -LiteralPath $target -PathType Container)
        {
            $files = @(Get-ChildItem -LiteralPath $target -Recurse -File -Force)
            $valid = ($files.Count -eq $Manifest.Count)
            foreach ($file in $files)
            {
                $relative = $file.FullName.Substring($target.Length + 1).Replace('\', '/')
                if (-not $Manifest.ContainsKey($relative) -or $Manifest[$relative] -ne (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash)
                {
                    $valid = $false
                    break
                }
            }
        }
        # Staging folders of copies that never finished (a time-out closed the session): a day is far
        # beyond any copy's time limit, so a concurrent runner's copy in progress is never touched.
        if (Test-Path -LiteralPath $hashFolder -PathType Container)
        {
            $stale = [datetime]::UtcNow.AddDays(-1)
            foreach ($old in @(Get-ChildItem -LiteralPath $hashFolder -Directory -Force -Filter '.partial-*'))
            {
                if ($old.CreationTimeUtc -lt $stale -and $old.LastWriteTimeUtc -lt $stale)
                {
                    try { [System.IO.Directory]::Delete($old.FullName, $true) } catch { $null = $_ }
                }
            }
        }
        $staging = $null
        if (-not $valid)
        {
            $staging = Join-Path -Path $hashFolder -ChildPath ('.partial-' + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $staging -Force
        }
        New-Object -TypeName PSObject -Property @{ target = $target; staging = $staging; valid = $valid; manifestPath = (Join-Path -Path $target -ChildPath ($Name + '.psd1')) }
    }
    # Runs remotely: rename a bad copy aside, rename the staged copy into place, clean up.
    # Another connection to the same guest may have installed a good copy
    # meanwhile (two sessions preparing one guest at once): that copy is kept,
    # never moved away under the other session's feet.
    $commit = {
        param([string] $Staging, [string] $Name, [string] $Target, [hashtable] $Manifest)
        $ErrorActionPreference = 'Stop'
        $staged = Join-Path -Path $Staging -ChildPath $Name
        $aside = Join-Path -Path $Staging -ChildPath '.replaced'
        # $null when -Folder holds exactly the manifest's files with their SHA-256, else what differs.
        $differs = {
            param([string] $Folder)
            if (-not (Test-Path -LiteralPath $Folder -PathType Container)) { return 'the folder is missing' }
            $files = @(Get-ChildItem -LiteralPath $Folder -Recurse -File -Force)
            if ($files.Count -ne $Manifest.Count) { return ('{0} files instead of {1}' -f $files.Count, $Manifest.Count) }
            foreach ($file in $files)
            {
                $relative = $file.FullName.Substring($Folder.Length + 1).Replace('\', '/')
                if (-not $Manifest.ContainsKey($relative) -or $Manifest[$relative] -ne (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash)
                {
                    return ('{0} differs' -f $relative)
                }
            }
            $null
        }
        # The fresh copy is checked before it is renamed into place (the folders are protected on Windows,
        # so it cannot change between this check and the import).
        $mismatch = & $differs $staged
        if ($null -ne $mismatch)
        {
            Remove-Item -LiteralPath $Staging -Recurse -Force
            return New-Object -TypeName PSObject -Property @{ mismatch = $mismatch }
        }
        if ($null -ne (& $differs $Target))
        {
            if (Test-Path -LiteralPath $Target)
            {
                Move-Item -LiteralPath $Target -Destination $aside
            }
            try
            {
                Move-Item -LiteralPath $staged -Destination $Target
            }
            catch
            {
                # Lost a race to a concurrent commit: keep the winner's copy.
                if (-not (Test-Path -LiteralPath $Target -PathType Container)) { throw }
            }
        }
        Remove-Item -LiteralPath $Staging -Recurse -Force
    }
    # Runs remotely: lift a Restricted/AllSigned policy for this process only, unless a Group Policy sets it.
    $import = {
        param([string] $Manifest)
        $ErrorActionPreference = 'Stop'
        $effective = [string](Get-ExecutionPolicy)
        $bypassed = $false
        if (@('Unrestricted', 'RemoteSigned', 'Bypass') -notcontains $effective)
        {
            foreach ($scope in @('MachinePolicy', 'UserPolicy'))
            {
                $set = [string](Get-ExecutionPolicy -Scope $scope)
                if ($set -ne 'Undefined')
                {
                    return New-Object -TypeName PSObject -Property @{ imported = $false; policy = $set; scope = $scope; bypassed = $false }
                }
            }
            Set-ExecutionPolicy -Scope Process -ExecutionPolicy Bypass -Force
            $bypassed = $true
        }
        Import-Module -Name $Manifest -Force -ErrorAction Stop -WarningAction SilentlyContinue
        New-Object -TypeName PSObject -Property @{ imported = $true; policy = $effective; scope = $null; bypassed = $bypassed }
    }

    $activity = 'preparing module {0} on the guest' -f $name
    # First, on a Windows guest: snapready, modules and the <hash> content only SYSTEM and Administrators can write
    # (SrHostGuestFolderUnsafe otherwise), so nothing changes between the hash checks below and the import.
    $null = Protect-SrHostGuestFolder -Session $Session -Folder modules -Subfolder $CodeHash -Deadline $Deadline -Activity $activity
    $found = Invoke-SrHostSessionCommand -Session $Session -ScriptBlock $probe -ArgumentList $CodeHash, $name, $manifest -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $Deadline) -Activity $activity
    $copied = $false
    if (-not $found.valid)
    {
        Copy-SrHostItemToSession -Session $Session -Path $localRoot -Destination ([string]$found.staging) -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $Deadline)
        $committed = @(Invoke-SrHostSessionCommand -Session $Session -ScriptBlock $commit -ArgumentList $found.staging, $name, $found.target, $manifest -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $Deadline) -Activity $activity) |
            Where-Object { $null -ne $_ -and $null -ne $_.PSObject.Properties['mismatch'] } | Select-Object -Last 1
        if ($null -ne $committed)
        {
            throw (New-SrHostErrorRecord -Category guest -ErrorId 'SrHostModuleCopyMismatch' -Message (
                    "{0}: the copy of the module on the guest does not match the runner's files ({1}); it was deleted and not imported" -f $activity, $committed.mismatch))
        }
        $copied = $true
    }
    $remoteManifest = [string]$found.manifestPath
    $imported = @(Invoke-SrHostSessionCommand -Session $Session -ScriptBlock $import -ArgumentList $remoteManifest -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $Deadline) -Activity $activity) | Where-Object { $null -ne $_ -and $null -ne $_.PSObject.Properties['imported'] } | Select-Object -Last 1
    if ($null -ne $imported -and -not [bool]$imported.imported)
    {
        throw (New-SrHostErrorRecord -Category config -ErrorId 'SrHostExecutionPolicy' -Message (
                "the execution policy {0} is set by Group Policy (scope {1}) on the guest and does not allow loading the unsigned module {2}; snapready only lifts a policy for its own process, which Group Policy overrides. Allow RemoteSigned (or Unrestricted) for this computer in that policy, or sign the module." -f $imported.policy, $imported.scope, $name))
    }
    [pscustomobject][ordered]@{ path = $remoteManifest; copied = $copied; executionPolicyBypassed = ($null -ne $imported -and [bool]$imported.bypassed) }
}
