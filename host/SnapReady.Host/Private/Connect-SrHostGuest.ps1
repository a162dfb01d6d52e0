function Connect-SrHostGuest
{
    <#
    .SYNOPSIS
        Connects to a guest (the connect op) and keeps the connection by VM name.

    .DESCRIPTION
        An entry for the same id with the same connection fields is reused
        when it lives in this pwsh (local, lab), or when its session is
        Opened (reused = true);
        otherwise the old entry is dropped and a new one made.
        Before connecting, the module folders must exist (guestModulePath,
        and labModulePath for lab and lab-ssh) and the guest module must
        hash to pinnedGuestCodeHash (config errors otherwise).
        local: imports SnapReady.Guest into this pwsh once; nothing remote,
        no lab.
        lab: the same, plus SnapReady.Lab; the lab state file must exist.
        ssh / winrm: opens a PSSession (New-SrHostSession), ships and
        imports SnapReady.Guest (Install-SrHostRemoteModule).
        lab-ssh: opens an SSH session exactly like ssh, ships SnapReady.Guest
        and SnapReady.Lab, then runs Enable-SrLab -StatePath <labState> in
        the session.
        A failure after the session opened closes it again.
        timeoutMs bounds the whole remote preparation: opening the session
        (SSH ConnectingTimeout, at most 30 s) and every remote step of
        shipping and importing the modules and enabling the lab; a step
        that overruns closes the session and answers a retryable 'timeout'
        error (SrHostCallTimeout).

    .PARAMETER Request
        The validated connect request (ConvertFrom-SrHostRequest).

    .EXAMPLE
        Connect-SrHostGuest -Request $request

    .OUTPUTS
        System.Collections.Specialized.OrderedDictionary: id, transport, reused.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param
    (
        [Parameter(Mandatory = $true)]
        [hashtable]
        $Request
    )

    $keys = @('transport', 'host', 'port', 'https', 'skipCertCheck', 'usernameEnv', 'passwordEnv', 'authentication', 'keyFileEnv', 'knownHostsFile', 'labState', 'guestModulePath', 'labModulePath', 'pinnedGuestCodeHash')
    $identity = [ordered]@{}
    foreach ($key in $keys) { $identity[$key] = $Request[$key] }
    $fingerprint = ConvertTo-Json -InputObject $identity -Compress

    $existing = $null
    if ($script:SrHostConnections.TryGetValue($Request.id, [ref]$existing))
    {
        if ($existing.fingerprint -ceq $fingerprint -and
            ($null -eq $existing.session -or [string]$existing.session.State -eq 'Opened'))
        {
            return [ordered]@{ id = $Request.id; transport = $Request.transport; reused = $true }
        }
        Disconnect-SrHostGuest -Id $Request.id
    }

    $configError = {
        param([string] $Message, [string] $ErrorId)
        throw (New-SrHostErrorRecord -Message $Message -Category config -ErrorId $ErrorId)
    }
    $isLab = $Request.transport -cin @('lab', 'lab-ssh')
    $modules = @(@{ field = 'guestModulePath'; name = $script:SrHostConst.GuestModuleName })
    if ($isLab)
    {
        $modules += @{ field = 'labModulePath'; name = $script:SrHostConst.LabModuleName }
    }
    foreach ($module in $modules)
    {
        $folder = [string]$Request[$module.field]
        if ((Split-Path -Path $folder.TrimEnd('/', '\') -Leaf) -cne $module.name -or
            -not (Test-Path -LiteralPath (Join-Path -Path $folder -ChildPath ($module.name + '.psd1')) -PathType Leaf))
        {
            & $configError ('{0} is not a {1} module folder' -f $module.field, $module.name) 'SrHostModuleNotFound'
        }
    }
    # local and lab run the guest module imported into this runspace. Once it
    # was imported right after its files hashed to the pinned hash, the code
    # in memory is that code, whatever happens to the files later: later
    # connects with the same pin need not hash the folder again.
    $inProcess = $Request.transport -cin @('local', 'lab')
    $imported = $script:SrHostImportedGuest
    $verified = $inProcess -and $null -ne $imported -and
        $imported.path -ceq [System.IO.Path]::GetFullPath([string]$Request.guestModulePath) -and
        $imported.hash -ceq $Request.pinnedGuestCodeHash -and
        [object]::ReferenceEquals($imported.module, (Get-Module -Name $script:SrHostConst.GuestModuleName))
    if (-not $verified)
    {
        $actualHash = Get-SrHostModuleHash -Path $Request.guestModulePath
        if ($actualHash -cne $Request.pinnedGuestCodeHash)
        {
            & $configError ('the guest module at guestModulePath hashes to {0}, not to the pinned {1}' -f $actualHash, $Request.pinnedGuestCodeHash) 'SrHostCodeHashMismatch'
        }
    }

    $entry = [pscustomobject]@{
        id              = $Request.id
        transport       = $Request.transport
        fingerprint     = $fingerprint
        session         = $null
        labState        = $Request['labState']
        guestModulePath = $Request.guestModulePath
        labModulePath   = $Request['labModulePath']
    }
    if ($Request.transport -cin @('local', 'lab'))
    {
        if ($Request.transport -ceq 'lab' -and -not (Test-Path -LiteralPath $Request.labState -PathType Leaf))
        {
            & $configError 'the lab state file named by labState does not exist' 'SrHostLabStateNotFound'
        }
        # Imported again unless it is the one verified above (a module loaded
        # before this pin was checked is not trusted to be this code).
        $guest = Import-SrHostLocalModule -GuestModulePath $Request.guestModulePath -LabModulePath $Request['labModulePath'] -Force:(-not $verified)
        $script:SrHostImportedGuest = @{ path = [System.IO.Path]::GetFullPath([string]$Request.guestModulePath); hash = $Request.pinnedGuestCodeHash; module = $guest }
    }
    else
    {
        $deadline = [datetime]::UtcNow.AddMilliseconds($Request.timeoutMs)
        $session = New-SrHostSession -Request $Request
        try
        {
            $null = Install-SrHostRemoteModule -Session $session -ModulePath $Request.guestModulePath -CodeHash $Request.pinnedGuestCodeHash -Deadline $deadline
            if ($isLab)
            {
                $null = Install-SrHostRemoteModule -Session $session -ModulePath $Request.labModulePath -CodeHash $Request.pinnedGuestCodeHash -Deadline $deadline
                $null = Invoke-SrHostSessionCommand -Session $session -ScriptBlock { param([string] $StatePath) Enable-SrLab -StatePath $StatePath } -ArgumentList $Request.labState -TimeoutMilliseconds (Get-SrHostMillisecondsLeft -Deadline $deadline) -Activity 'enabling the lab on the guest'
            }
        }
        catch
        {
            $failure = Resolve-SrHostFailure -ErrorRecord $_ -DefaultCategory guest -DefaultErrorId 'SrHostRemoteModuleFailed'
            Close-SrHostSession -Session $session
            throw (New-SrHostErrorRecord -Message ('cannot prepare the guest module on {0}: {1}' -f $Request.host, $failure.message) -Category $failure.category -ErrorId $failure.errorId -Retryable $failure.retryable)
        }
        $entry.session = $session
    }
    $script:SrHostConnections[$Request.id] = $entry
    [ordered]@{ id = $Request.id; transport = $Request.transport; reused = $false }
}
