function Install-SrHostConsoleRouter
{
    <#
    .SYNOPSIS
        Makes this process's Console.Out the SSH-aware router, once per process.

    .DESCRIPTION
        PowerShell's SSH transport copies what ssh writes to its standard
        error to Console.Out, from a thread of its own, and Console.Out is the
        runner's protocol channel. The router (Types/SrHostConsoleRouter.cs)
        sends writes from PowerShell threads (the main runspace's, a slot's)
        to the original writer, and writes from threads started during an SSH
        connect to that connect's capture (New-SrHostSession), or nowhere once
        the connect is over.
        It is compiled (Add-Type) and installed the first time any runspace of
        the process opens an SSH session; processes that never do (local and
        lab guests, snapready step without SSH) pay nothing. A process-wide
        monitor keeps two slots from compiling it at once. Returns the
        router's type.

    .EXAMPLE
        $router = Install-SrHostConsoleRouter
        $capture = $router::Open()

    .OUTPUTS
        System.Type.
    #>
    [CmdletBinding()]
    [OutputType([type])]
    param ()

    $typeName = 'SnapReady.Host.SrHostConsoleRouter'
    $router = $typeName -as [type]
    if ($null -eq $router)
    {
        # Types are per process, module scopes per runspace: the interned
        # string is the one object every slot of this process shares.
        $gate = [string]::Intern('SnapReady.Host.SrHostConsoleRouter.Compile')
        [System.Threading.Monitor]::Enter($gate)
        try
        {
            $router = $typeName -as [type]
            if ($null -eq $router)
            {
                $source = Join-Path -Path $PSScriptRoot -ChildPath '..' -AdditionalChildPath 'Types', 'SrHostConsoleRouter.cs'
                Add-Type -Path $source -ErrorAction Stop
                $router = $typeName -as [type]
            }
        }
        finally
        {
            [System.Threading.Monitor]::Exit($gate)
        }
    }
    $null = $router::Install()
    $router
}
