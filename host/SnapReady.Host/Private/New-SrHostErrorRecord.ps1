function New-SrHostErrorRecord
{
    <#
    .SYNOPSIS
        Builds the ErrorRecord of a failed host request.

    .DESCRIPTION
        A thin wrapper over the guest module's ErrorRecord builder
        (guest/SnapReady.Guest/Private/New-SrErrorRecord.ps1, dot-sourced by
        SnapReady.Host.psm1): it adds the protocol category (unreachable,
        auth, guest, protocol, config or timeout) to the TargetObject as
        srHostCategory, next to the retryable flag, so that
        Invoke-SrHostRequest can answer with them, and chooses the PowerShell
        category that follows it (ConnectionError, AuthenticationError,
        InvalidResult, InvalidData, InvalidArgument, OperationTimeout). Messages must never
        contain a credential: callers name environment variables, never their
        values.

    .PARAMETER Message
        Clear, complete error message (no secret).

    .PARAMETER Category
        Protocol category.

    .PARAMETER ErrorId
        Stable error identifier, for example SrHostEnvironmentEmpty.

    .PARAMETER Retryable
        Whether the same request may succeed later.

    .EXAMPLE
        throw (New-SrHostErrorRecord -Message 'environment variable WINRM_USER is empty' -Category config -ErrorId 'SrHostEnvironmentEmpty')

    .OUTPUTS
        System.Management.Automation.ErrorRecord.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param
    (
        [Parameter(Mandatory = $true)]
        [string]
        $Message,

        [Parameter(Mandatory = $true)]
        [ValidateSet('unreachable', 'auth', 'guest', 'protocol', 'config', 'timeout')]
        [string]
        $Category,

        [Parameter(Mandatory = $true)]
        [string]
        $ErrorId,

        [Parameter()]
        [bool]
        $Retryable = $false
    )

    $powerShellCategory = @{
        unreachable = [System.Management.Automation.ErrorCategory]::ConnectionError
        auth        = [System.Management.Automation.ErrorCategory]::AuthenticationError
        guest       = [System.Management.Automation.ErrorCategory]::InvalidResult
        protocol    = [System.Management.Automation.ErrorCategory]::InvalidData
        config      = [System.Management.Automation.ErrorCategory]::InvalidArgument
        timeout     = [System.Management.Automation.ErrorCategory]::OperationTimeout
    }[$Category]
    New-SrErrorRecord -Message $Message -ErrorId $ErrorId -Category $powerShellCategory -Retryable $Retryable -Property @{ srHostCategory = $Category }
}
