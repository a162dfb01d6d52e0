function Get-SrProtectedFolderPolicy
{
    <#
    .SYNOPSIS
        Returns snapready's security policy for the folders it stages files in: the DACL to apply and the owners to accept.

    .DESCRIPTION
        The one definition of the policy for snapready's folders under
        C:\ProgramData\snapready (installers, uploads, modules), used by both
        sides:
          - the guest: Protect-SrPlatformDirectory applies directorySddl,
            Protect-SrStagingDirectory accepts only ownerSids as the owner
            of an existing folder;
          - the host: SnapReady.Host dot-sources this file (as it does
            New-SrErrorRecord.ps1), and Protect-SrHostGuestFolder passes
            these values as arguments to its constant remote script block,
            which runs on the guest before this module is imported there.
        Only well-known SIDs, never account names (which Windows translates,
        for example on a Japanese Windows):
          directorySddl
            O:S-1-5-32-544D:PAI(A;OICI;FA;;;S-1-5-18)(A;OICI;FA;;;S-1-5-32-544)
            owner BUILTIN\Administrators, inheritance from the parent
            disabled (P), full control for SYSTEM and Administrators on the
            folder, its subfolders and files (OICI), nothing for anyone else;
          ownerSids
            S-1-5-18 (SYSTEM) and S-1-5-32-544 (Administrators): the owners
            an existing folder may have (anyone else could still change it);
          ownerText
            'SYSTEM (S-1-5-18) or Administrators (S-1-5-32-544)', the
            owners as the error messages name them.
        A new object on every call (the caller may not change the policy).

    .EXAMPLE
        (Get-SrProtectedFolderPolicy).directorySddl

    .OUTPUTS
        System.Management.Automation.PSCustomObject with directorySddl
        (string), ownerSids (string[]) and ownerText (string).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param ()

    # The accepted owners, in the order the messages name them.
    $owners = @(
        @{ sid = 'S-1-5-18'; name = 'SYSTEM' }
        @{ sid = 'S-1-5-32-544'; name = 'Administrators' }
    )
    $sids = New-Object -TypeName System.Collections.Generic.List[string]
    $names = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($owner in $owners)
    {
        $sids.Add($owner.sid)
        $names.Add(('{0} ({1})' -f $owner.name, $owner.sid))
    }
    [pscustomobject]@{
        directorySddl = 'O:S-1-5-32-544D:PAI(A;OICI;FA;;;S-1-5-18)(A;OICI;FA;;;S-1-5-32-544)'
        ownerSids     = $sids.ToArray()
        ownerText     = $names -join ' or '
    }
}
