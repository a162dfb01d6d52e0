function Copy-SrHostFileToGuest
{
    <#
    .SYNOPSIS
        Stages a runner-side installer into a connected guest (the stage op).

    .DESCRIPTION
        For installer.stage: runner, where the guest itself cannot reach the
        source (a UNC share behind the second hop, a runner-only folder):
        1. The runner's file (-Path) must exist and hash to -Sha256; else a
           'config' error (SrHostStageSourceNotFound, SrHostStageHashMismatch)
           and nothing is copied.
        2. The guest is asked first: Save-SrInstaller -Source
           <DestinationDirectory>\<FileName> -FileName <FileName> -Sha256
           (the guest's own check of a staged file). When it already holds
           the file with that hash, nothing is copied (copied = false).
        3. Otherwise the file is uploaded into an upload folder of the
           session ($env:ProgramData\snapready\uploads on Windows, the temp
           folder elsewhere; local and lab: this machine's temp folder)
           under a fixed name (on a Windows guest, Protect-SrHostGuestFolder
           first makes sure snapready and snapready\uploads are real folders
           owned by SYSTEM or Administrators and gives them a DACL for those
           two only: a folder a local user created or linked is refused,
           config / SrHostGuestFolderUnsafe; not applied on a remote that is
           not Windows, such as lab-ssh on Linux), <16 hex of the SHA-256 of -Id>-<sha256>.partial,
           which each upload overwrites. Preparing the folder deletes this
           guest's earlier uploads (<id hash>-*.partial: left behind by a
           copy that timed out) and any *.partial older than a day. The
           guest lock is held during a converge, so no other stage of this
           guest runs meanwhile. Remote transports copy with
           Send-SrHostFileToSession (chunks through the session, not
           Copy-Item -ToSession, which fails on a file carrying an alternate
           data stream such as Zone.Identifier).
        4. Save-SrInstaller -Source <Path> -FileName <FileName> -UploadPath
           <upload> moves the upload into place and checks its SHA-256 again
           in the guest (mismatch: the copy is deleted,
           SrInstallerHashMismatch).
        After a failure the upload is removed when the session still works;
        otherwise the next stage of this guest deletes it. Every remote step
        is bounded by what is left of -TimeoutMilliseconds
        (SrHostCallTimeout). Returns the guest's answer to the last
        Save-SrInstaller, with result.copied added when it succeeded.

    .PARAMETER Id
        The VM name.

    .PARAMETER Path
        The installer on the runner (absolute path).

    .PARAMETER Sha256
        Its expected SHA-256 (64 hex digits).

    .PARAMETER DestinationDirectory
        The guest folder installers are staged in.

    .PARAMETER FileName
        The file name to stage under (the runner derives it once from the
        source: src/spec/resolve.ts stagedFileName).

    .PARAMETER ExpectedSignerThumbprint
        Thumbprint the Authenticode signer must have, or empty for no check.

    .PARAMETER TimeoutMilliseconds
        Time limit of the whole stage.

    .EXAMPLE
        Copy-SrHostFileToGuest -Id 'sql01' -Path '/srv/media/qemu-ga-x86_64.msi' -Sha256 $sha -DestinationDirectory 'C:\ProgramData\snapready\installers' -FileName 'qemu-ga-x86_64.msi' -TimeoutMilliseconds 1800000

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
        $Path,

        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[0-9A-Fa-f]{64}$')]
        [string]
        $Sha256,

        [Parameter(Mandatory = $true)]
        [string]
        $DestinationDirectory,

        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,200}$')]
        [string]
        $FileName,

        [Parameter()]
        [AllowEmptyString()]
        [AllowNull()]
        [string]
        $ExpectedSignerThumbprint,

        [Parameter(Mandatory = $true)]
        [ValidateRange(1, [int]::MaxValue)]
        [int]
        $TimeoutMilliseconds
    )

    $entry = Get-SrHostConnection -Id $Id
    $deadline = [datetime]::UtcNow.AddMilliseconds($TimeoutMilliseconds)

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf))
    {
        throw (New-SrHostErrorRecord -Category config -ErrorId 'SrHostStageSourceNotFound' -Message (
                "the installer '{0}' to stage from the runner does not exist or is not a file" -f $Path))
    }
    try
    {
        $actual = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
    }
    catch
    {
        throw (New-SrHostErrorRecord -Category config -ErrorId 'SrHostStageSourceUnreadable' -Message (
                "the installer '{0}' to stage from the runner cannot be read: {1}" -f $Path, $_.Exception.Message))
    }
    $expected = $Sha256.ToUpperInvariant()
    if ($actual -cne $expected)
    {
        throw (New-SrHostErrorRecord -Category config -ErrorId 'SrHostStageHashMismatch' -Message (
                "the installer '{0}' on the runner does not match agent.installer.sha256: expected {1}, actual {2}; nothing was copied to guest {3}" -f $Path, $expected, $actual, $Id))
    }

    # Passed to both Save-SrInstaller calls: the runner's file name, derived once on the runner.
    $common = @{ FileName = $FileName }
    if (-not [string]::IsNullOrEmpty($ExpectedSignerThumbprint)) { $common['ExpectedSignerThumbprint'] = $ExpectedSignerThumbprint }
    $guestCall = {
        param([hashtable] $Parameters)
        $json = ConvertTo-Json -InputObject ([ordered]@{ command = 'Save-SrInstaller'; parameters = $Parameters }) -Compress -Depth 5
        $b64 = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($json))
        Invoke-SrHostGuestCall -Id $Id -RequestBase64 $b64 -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $deadline)
    }

    # Ask the guest first: a second converge copies nothing.
    $present = & $guestCall (@{ Source = ('{0}\{1}' -f $DestinationDirectory.TrimEnd('\'), $FileName); Sha256 = $expected } + $common)
    if ($present.ok)
    {
        $present.result | Add-Member -NotePropertyName copied -NotePropertyValue $false -Force
        return $present
    }
    $missing = $null -ne $present.PSObject.Properties['error'] -and $null -ne $present.error -and $null -ne $present.error.PSObject.Properties['errorId'] -and
        ([string]$present.error.errorId -like 'SrInstallerNotFound*' -or [string]$present.error.errorId -like 'SrInstallerHashMismatch*')
    if (-not $missing)
    {
        return $present
    }

    $session = $entry.session
    # One fixed name per guest and installer: a copy that timed out is overwritten or deleted next time.
    $idHash = [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::Create().ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Id))).Replace('-', '').Substring(0, 16).ToLowerInvariant()
    $uploadName = '{0}-{1}.partial' -f $idHash, $expected.ToLowerInvariant()
    # Runs here (local, lab) or remotely (PowerShell 5.1 or 7): the upload folder, without stale uploads.
    $prepare = {
        param([string] $Name, [string] $Prefix, [bool] $Remote)
        $ErrorActionPreference = 'Stop'
        if ($Remote -and [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT)
        {
            $folder = Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath 'snapready') -ChildPath 'uploads'
        }
        else
        {
            $folder = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath 'snapready-uploads'
        }
        $null = New-Item -ItemType Directory -Path $folder -Force
        $stale = [datetime]::UtcNow.AddDays(-1)
        foreach ($file in @(Get-ChildItem -LiteralPath $folder -Filter '*.partial' -File -Force))
        {
            if ($file.Name.StartsWith($Prefix + '-') -or $file.LastWriteTimeUtc -lt $stale)
            {
                Remove-Item -LiteralPath $file.FullName -Force -ErrorAction SilentlyContinue
            }
        }
        Join-Path -Path $folder -ChildPath $Name
    }
    if ($null -eq $session)
    {
        $upload = [string](& $prepare $uploadName $idHash $false)
    }
    else
    {
        # A Windows guest's snapready and uploads folders: SYSTEM and Administrators only (SrHostGuestFolderUnsafe otherwise).
        $null = Protect-SrHostGuestFolder -Session $session -Folder uploads -Deadline $deadline -Activity ('preparing the upload folder on guest {0}' -f $Id)
        $upload = [string](@(Invoke-SrHostSessionCommand -Session $session -ScriptBlock $prepare -ArgumentList $uploadName, $idHash, $true -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $deadline) -Activity ('preparing the upload folder on guest {0}' -f $Id)) | Select-Object -Last 1)
    }
    try
    {
        try
        {
            if ($null -eq $session)
            {
                Copy-Item -LiteralPath $Path -Destination $upload -Force
            }
            else
            {
                $null = Send-SrHostFileToSession -Session $session -Path $Path -Destination $upload -Deadline $deadline -Activity ('copying {0} to guest {1}' -f $FileName, $Id)
            }
        }
        catch
        {
            $failure = Resolve-SrHostFailure -ErrorRecord $_ -DefaultCategory guest -DefaultErrorId 'SrHostStageCopyFailed'
            if ($failure.category -in @('timeout', 'unreachable')) { Disconnect-SrHostGuest -Id $Id }
            throw (New-SrHostErrorRecord -Category $failure.category -ErrorId $failure.errorId -Retryable $failure.retryable -Message (
                    "cannot copy the installer '{0}' to guest {1}: {2}" -f $Path, $Id, $failure.message))
        }
        $answer = & $guestCall (@{ Source = $Path; Sha256 = $expected; DestinationDirectory = $DestinationDirectory; UploadPath = $upload } + $common)
        if ($answer.ok)
        {
            $answer.result | Add-Member -NotePropertyName copied -NotePropertyValue $true -Force
        }
        $answer
    }
    finally
    {
        # The guest moved the upload into place; after a failure it may still be there
        # (when the session is gone, the next stage of this guest deletes it).
        try
        {
            if ($null -eq $session)
            {
                if (Test-Path -LiteralPath $upload) { Remove-Item -LiteralPath $upload -Force }
            }
            elseif ([string]$session.State -eq 'Opened')
            {
                $null = Invoke-SrHostSessionCommand -Session $session -ScriptBlock { param([string] $P) if (Test-Path -LiteralPath $P) { Remove-Item -LiteralPath $P -Force } } -ArgumentList $upload -TimeoutMilliseconds ([math]::Min(30000, (Get-SrHostMillisecondsLeft -Deadline $deadline))) -Activity ('removing the upload on guest {0}' -f $Id)
            }
        }
        catch
        {
            $null = $_
        }
    }
}
