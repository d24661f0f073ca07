using System.Runtime.InteropServices;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Raises the open-files soft limit to the hard limit. Every client costs a file descriptor and the usual soft
/// limit (1024) caps a server far below MaxClients; the hard limit is what the admin (or LimitNOFILE=) allows.
/// Source-generated P/Invoke: no runtime marshalling stubs, so it is AOT-safe.
/// </summary>
internal static partial class FileLimit
{
    // RLIMIT_NOFILE on Linux (every architecture .NET supports).
    private const int RlimitNoFile = 7;

    /// <summary>Before and after, or null when not on Linux or the call failed (with the reason).</summary>
    public static (ulong Before, ulong After, ulong Hard)? Raise(out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (GetRLimit(RlimitNoFile, out var limit) != 0)
        {
            error = $"getrlimit failed (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }

        ulong before = limit.Current;
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetRLimit(RlimitNoFile, in raised) != 0)
            {
                error = $"setrlimit failed (errno {Marshal.GetLastPInvokeError()})";
                return (before, before, limit.Maximum);
            }

            limit = raised;
        }

        return (before, limit.Current, limit.Maximum);
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
