// The process's Console.Out while SSH sessions are opened (SnapReady.Host,
// Install-SrHostConsoleRouter). PowerShell's SSH transport copies what ssh
// writes to its standard error to Console.Out, from its own thread ("SSH
// Transport Error Thread"); Console.Out is the runner's protocol channel.
//
// Each write goes, by the thread that makes it, to:
//   1. the original writer when the thread runs PowerShell (it has a
//      Runspace.DefaultRunspace: the main runspace's pipeline thread, which
//      writes the answers and node-powershell's end marker, or a slot's);
//   2. otherwise, when the thread was started within an SSH connect (its
//      ExecutionContext carries that connect's capture, an AsyncLocal that
//      Open sets on the connecting thread and that flows to threads it
//      starts): that capture while the connect is open, nowhere afterwards;
//   3. otherwise nowhere when it is PowerShell's SSH transport thread (by its
//      name; a safety net should the context not flow), else the original.
// No lock is shared between connects: they run side by side, and each one's
// ssh text lands in its own capture only.
using System;
using System.IO;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;

namespace SnapReady.Host
{
    /// <summary>What ssh wrote while one SSH connect was open.</summary>
    public sealed class SrHostSshCapture
    {
        private readonly StringBuilder text = new StringBuilder();
        private bool closed;

        internal void Append(string value)
        {
            if (string.IsNullOrEmpty(value)) return;
            lock (text)
            {
                // At most 64 KiB: ssh's error text is a few lines.
                if (!closed && text.Length < 65536) text.Append(value);
            }
        }

        /// <summary>The text so far.</summary>
        public string Text
        {
            get { lock (text) { return text.ToString(); } }
        }

        /// <summary>Stops the capture: later writes are dropped. Returns the text.</summary>
        public string Close()
        {
            lock (text)
            {
                closed = true;
                string value = text.ToString();
                text.Clear();
                return value;
            }
        }
    }

    /// <summary>The routing Console.Out (see the file's comment).</summary>
    public sealed class SrHostConsoleRouter : TextWriter
    {
        private static readonly object Gate = new object();
        private static readonly AsyncLocal<SrHostSshCapture> Current = new AsyncLocal<SrHostSshCapture>();
        private static SrHostConsoleRouter installed;
        private static TextWriter installedOut;
        private readonly TextWriter original;

        private SrHostConsoleRouter(TextWriter original) : base(original.FormatProvider)
        {
            this.original = original;
            CoreNewLine = original.NewLine.ToCharArray();
        }

        /// <summary>The writer that was Console.Out when the router was installed.</summary>
        public TextWriter Original { get { return original; } }

        /// <summary>The installed router, or null.</summary>
        public static SrHostConsoleRouter Installed
        {
            get { lock (Gate) { return installed; } }
        }

        /// <summary>
        /// Makes a router Console.Out, once per process; again only when
        /// something else has since replaced Console.Out (a new router then
        /// wraps that writer). Returns the router in place.
        /// </summary>
        public static SrHostConsoleRouter Install()
        {
            lock (Gate)
            {
                if (installed == null || !ReferenceEquals(Console.Out, installedOut))
                {
                    installed = new SrHostConsoleRouter(Console.Out);
                    Console.SetOut(installed);
                    installedOut = Console.Out;
                }
                return installed;
            }
        }

        /// <summary>
        /// Starts a capture for the connect about to run on this thread: what
        /// threads started from now on (ssh's) write goes into it.
        /// </summary>
        public static SrHostSshCapture Open()
        {
            Install();
            SrHostSshCapture capture = new SrHostSshCapture();
            Current.Value = capture;
            return capture;
        }

        /// <summary>Ends the capture on this thread and returns its text; later writes from ssh's thread are dropped.</summary>
        public static string Close(SrHostSshCapture capture)
        {
            if (ReferenceEquals(Current.Value, capture)) Current.Value = null;
            return capture == null ? string.Empty : capture.Close();
        }

        public override Encoding Encoding { get { return original.Encoding; } }

        private TextWriter Route(out SrHostSshCapture capture)
        {
            capture = null;
            if (Runspace.DefaultRunspace != null) return original;
            capture = Current.Value;
            if (capture != null) return null;
            string name = Thread.CurrentThread.Name;
            if (name != null && name.StartsWith("SSH ", StringComparison.Ordinal)) return null;
            return original;
        }

        public override void Write(char value)
        {
            SrHostSshCapture capture;
            TextWriter target = Route(out capture);
            if (target != null) target.Write(value);
            else if (capture != null) capture.Append(value.ToString());
        }

        public override void Write(char[] buffer, int index, int count)
        {
            SrHostSshCapture capture;
            TextWriter target = Route(out capture);
            if (target != null) target.Write(buffer, index, count);
            else if (capture != null) capture.Append(new string(buffer, index, count));
        }

        public override void Write(string value)
        {
            SrHostSshCapture capture;
            TextWriter target = Route(out capture);
            if (target != null) target.Write(value);
            else if (capture != null) capture.Append(value);
        }

        public override void WriteLine(string value)
        {
            SrHostSshCapture capture;
            TextWriter target = Route(out capture);
            if (target != null) target.WriteLine(value);
            else if (capture != null) capture.Append(value + "\n");
        }

        public override void WriteLine()
        {
            SrHostSshCapture capture;
            TextWriter target = Route(out capture);
            if (target != null) target.WriteLine();
            else if (capture != null) capture.Append("\n");
        }

        public override void Flush()
        {
            original.Flush();
        }
    }
}
