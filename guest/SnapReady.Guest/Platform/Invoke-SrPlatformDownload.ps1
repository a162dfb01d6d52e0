function Invoke-SrPlatformDownload
{
    <#
    .SYNOPSIS
        Downloads a URL to a file (platform layer).

    .DESCRIPTION
        Thin wrapper over Invoke-WebRequest -OutFile with TLS 1.2 enabled for
        Windows PowerShell 5.1. Integrity is checked by the caller (SHA-256).

    .PARAMETER Uri
        An https URL.

    .PARAMETER OutFile
        Destination file path.

    .EXAMPLE
        Invoke-SrPlatformDownload -Uri 'https://example.invalid/qemu-ga-x86_64.msi' -OutFile 'C:\ProgramData\snapready\installers\qemu-ga-x86_64.msi'

    .OUTPUTS
        None.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param
    (
        [Parameter(Mandatory = $true)]
        [ValidateNotNull()]
        [uri]
        $Uri,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $OutFile
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
    $previousProgress = $ProgressPreference
    $ProgressPreference = 'SilentlyContinue'
    try
    {
        Invoke-WebRequest -Uri $Uri -OutFile $OutFile -UseBasicParsing
    }
    finally
    {
        $ProgressPreference = $previousProgress
    }
}
