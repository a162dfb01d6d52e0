function Get-SrLabText
{
    <#
    .SYNOPSIS
        Returns a text the simulated Windows shows, in the guest's locale.

    .DESCRIPTION
        Windows localizes its own names and messages: device class names,
        the names Windows gives a device without a driver, the display names
        of its own services, the messages of pnputil and msiexec and the
        system text FormatMessage adds to an HRESULT, and (a lab choice, to
        prove nothing reads them) the names of Windows' own VSS writers. A lab guest created
        with -Locale ja-JP shows these in Japanese (state.os.locale), so that
        a test proves the guest module depends on none of them. Names set
        by installers (the QEMU Guest Agent services, the driver's friendly
        name from its INF) are not localized. The Japanese texts are modelled
        on ja-JP Windows; their exact wording is unverified.

    .PARAMETER State
        The lab state (its os.locale selects the language; missing means en-US).

    .PARAMETER Key
        Text key.

    .PARAMETER Argument
        Values for the {0}, {1} placeholders.

    .EXAMPLE
        Get-SrLabText -State $state -Key 'PnpClassSystem'

    .OUTPUTS
        System.String.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param
    (
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $State,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Key,

        [Parameter()]
        [object[]]
        $Argument = @()
    )

    $texts = @{
        PnpClassOther     = @('Other devices', 'ほかのデバイス')
        PnpClassSystem    = @('System devices', 'システム デバイス')
        PnpUnboundName    = @('PCI Simple Communications Controller', 'PCI シンプル通信コントローラー')
        SvcEventLog       = @('Windows Event Log', 'Windows イベント ログ')
        SvcTermService    = @('Remote Desktop Services', 'リモート デスクトップ サービス')
        SvcVss            = @('Volume Shadow Copy', 'ボリューム シャドウ コピー')
        PnputilAdded      = @('Driver package added successfully.', 'ドライバー パッケージが正常に追加されました。')
        PnputilInstalled  = @('Driver package installed on matching devices.', '一致するデバイスにドライバー パッケージがインストールされました。')
        PnputilNoDevices  = @('No matching devices.', '一致するデバイスはありません。')
        PnputilReboot     = @('System reboot is needed to complete install operations!', 'インストール操作を完了するには、システムの再起動が必要です。')
        PnputilUntrusted  = @("Failed to install the driver: Windows can't verify the publisher of this driver software (lab stand-in for the publisher prompt).", 'ドライバーをインストールできませんでした: Windows はこのドライバー ソフトウェアの発行元を確認できません (発行元の確認ダイアログの代わり)。')
        PnputilNotFound   = @('Failed to add driver package: The system cannot find the file specified.', 'ドライバー パッケージを追加できませんでした: 指定されたファイルが見つかりません。')
        PnputilInvalid    = @('Invalid arguments.', '引数が無効です。')
        MsiBusy           = @('Another installation is already in progress.', '別のインストールが既に実行中です。')
        MsiBadPackage     = @('This installation package could not be opened.', 'このインストール パッケージを開けませんでした。')
        MsiInvalidArg     = @('Invalid command line argument.', 'コマンド ライン引数が無効です。')
        MsiNotInstalled   = @('This action is only valid for products that are currently installed.', 'この操作は、現在インストールされている製品にのみ有効です。')
        MsiCompleted      = @('Installation completed with exit code {0}.', 'インストールは終了コード {0} で完了しました。')
        MsiFailed         = @('Installation failed with exit code {0}.', 'インストールは終了コード {0} で失敗しました。')
        HrAborted         = @('Operation aborted', '操作は中止されました')
        WriterSystem      = @('System Writer', 'システム ライター')
        WriterRegistry    = @('Registry Writer', 'レジストリ ライター')
        WriterComPlus     = @('COM+ REGDB Writer', 'COM+ REGDB ライター')
        WriterWmi         = @('WMI Writer', 'WMI ライター')
        WriterAsr         = @('ASR Writer', 'ASR ライター')
    }
    $index = 0
    if ($State.Contains('os') -and $State.os.Contains('locale') -and [string]$State.os.locale -eq 'ja-JP')
    {
        $index = 1
    }
    $text = $texts[$Key][$index]
    if ($Argument.Count -gt 0)
    {
        $text = $text -f $Argument
    }
    $text
}
