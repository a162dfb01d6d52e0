function Get-SrPlatformVssWriter
{
    <#
    .SYNOPSIS
        Lists the VSS writers with their state and last error (platform layer).

    .DESCRIPTION
        Reads the writers through the VSS requester API of vssapi.dll, the
        documented structured source: CreateVssBackupComponentsInternal,
        IVssBackupComponents InitializeForBackup, GatherWriterMetadata,
        GatherWriterStatus, GetWriterStatusCount and GetWriterStatus. These
        are IUnknown (not automation) interfaces, so New-Object -ComObject
        cannot reach them; a small C# interop type is compiled once per
        session with Add-Type (works in Windows PowerShell 5.1). No text of
        vssadmin (localized) is read: the writer id, instance id, the
        VSS_WRITER_STATE number and the failure HRESULT are numbers and
        GUIDs; the writer name is returned as registered, for people only.
        Each asynchronous call waits at most -TimeoutSeconds, then is
        cancelled and an error thrown. Needs an elevated 64-bit process.
        Unverified: the interface method order is declared from vsbackup.h
        and has not run on Windows yet.

    .PARAMETER TimeoutSeconds
        Longest wait for each of GatherWriterMetadata and GatherWriterStatus.

    .EXAMPLE
        Get-SrPlatformVssWriter -TimeoutSeconds 60

    .OUTPUTS
        System.Management.Automation.PSCustomObject per writer: name,
        writerId, instanceId (lower-case GUIDs in braces), state
        (VSS_WRITER_STATE number) and lastError (HRESULT, unsigned).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCustomObject])]
    param
    (
        [Parameter()]
        [ValidateRange(1, 600)]
        [int]
        $TimeoutSeconds = 60
    )

    if ($null -ne $script:SrPlatformProvider)
    {
        return & $script:SrPlatformProvider $MyInvocation.MyCommand.Name $PSBoundParameters
    }
    Assert-SrPlatformWindows

    if ($null -eq ('SnapReady.Vss.WriterReader' -as [type]))
    {
        $source = @'
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
namespace SnapReady.Vss
{
    [ComImport, Guid("507C37B4-CF5B-4e95-B0AF-14EB9767467E"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
    public interface IVssAsync
    {
        [PreserveSig] int Cancel();
        [PreserveSig] int Wait(uint milliseconds);
        [PreserveSig] int QueryStatus(out int hrResult, IntPtr reserved);
    }

    // Slots in vsbackup.h order; only the ones called have real signatures.
    [ComImport, Guid("665c1d5f-c218-414d-a05d-7fef5f9d5c86"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
    public interface IVssBackupComponents
    {
        [PreserveSig] int GetWriterComponentsCount(out uint count);
        [PreserveSig] int GetWriterComponents();
        [PreserveSig] int InitializeForBackup([MarshalAs(UnmanagedType.BStr)] string xml);
        [PreserveSig] int SetBackupState();
        [PreserveSig] int InitializeForRestore();
        [PreserveSig] int SetRestoreState();
        [PreserveSig] int GatherWriterMetadata(out IVssAsync pending);
        [PreserveSig] int GetWriterMetadataCount(out uint count);
        [PreserveSig] int GetWriterMetadata();
        [PreserveSig] int FreeWriterMetadata();
        [PreserveSig] int AddComponent();
        [PreserveSig] int PrepareForBackup();
        [PreserveSig] int AbortBackup();
        [PreserveSig] int GatherWriterStatus(out IVssAsync pending);
        [PreserveSig] int GetWriterStatusCount(out uint count);
        [PreserveSig] int FreeWriterStatus();
        [PreserveSig] int GetWriterStatus(uint index, out Guid instanceId, out Guid writerId, [MarshalAs(UnmanagedType.BStr)] out string name, out int state, out int failure);
    }

    public sealed class WriterStatus
    {
        public string Name;
        public Guid WriterId;
        public Guid InstanceId;
        public int State;
        public uint LastError;
    }

    public static class WriterReader
    {
        [DllImport("vssapi.dll", EntryPoint = "CreateVssBackupComponentsInternal")]
        private static extern int CreateVssBackupComponents(out IVssBackupComponents components);

        private static void Check(int hr, string what)
        {
            if (hr < 0) { throw new COMException(what + " failed", hr); }
        }

        private static void Await(IVssAsync pending, uint milliseconds, string what)
        {
            try
            {
                Check(pending.Wait(milliseconds), what + " (wait)");
                int result;
                Check(pending.QueryStatus(out result, IntPtr.Zero), what + " (status)");
                if (result == 0x00042309) { pending.Cancel(); throw new TimeoutException(what + " did not finish in time"); }
                Check(result, what);
            }
            finally { Marshal.ReleaseComObject(pending); }
        }

        public static WriterStatus[] Read(uint milliseconds)
        {
            IVssBackupComponents components;
            Check(CreateVssBackupComponents(out components), "CreateVssBackupComponents");
            try
            {
                Check(components.InitializeForBackup(null), "InitializeForBackup");
                IVssAsync pending;
                Check(components.GatherWriterMetadata(out pending), "GatherWriterMetadata");
                Await(pending, milliseconds, "GatherWriterMetadata");
                Check(components.GatherWriterStatus(out pending), "GatherWriterStatus");
                Await(pending, milliseconds, "GatherWriterStatus");
                uint count;
                Check(components.GetWriterStatusCount(out count), "GetWriterStatusCount");
                List<WriterStatus> writers = new List<WriterStatus>();
                for (uint i = 0; i < count; i++)
                {
                    Guid instanceId; Guid writerId; string name; int state; int failure;
                    Check(components.GetWriterStatus(i, out instanceId, out writerId, out name, out state, out failure), "GetWriterStatus");
                    writers.Add(new WriterStatus { Name = name, WriterId = writerId, InstanceId = instanceId, State = state, LastError = unchecked((uint)failure) });
                }
                components.FreeWriterStatus();
                components.FreeWriterMetadata();
                return writers.ToArray();
            }
            finally { Marshal.ReleaseComObject(components); }
        }
    }
}
'@
        Add-Type -TypeDefinition $source -Language CSharp
    }

    foreach ($writer in @([SnapReady.Vss.WriterReader]::Read([uint32]($TimeoutSeconds * 1000))))
    {
        [pscustomobject]@{
            name       = [string]$writer.Name
            writerId   = $writer.WriterId.ToString('B')
            instanceId = $writer.InstanceId.ToString('B')
            state      = [int]$writer.State
            lastError  = [long]$writer.LastError
        }
    }
}
