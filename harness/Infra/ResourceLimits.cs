using System.Runtime.InteropServices;

namespace LanTalk.Harness.Infra;

/// <summary>Raises the open-files soft limit to the hard one: every load client holds one descriptor.</summary>
internal static partial class ResourceLimits
{
    private const int RlimitNoFile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    /// <summary>Returns (soft, hard) after raising; (0, 0) where the call is not available.</summary>
    public static (long Soft, long Hard) RaiseOpenFiles()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return (0, 0);
        }

        try
        {
            if (GetRLimit(RlimitNoFile, out var limit) != 0)
            {
                return (0, 0);
            }

            if (limit.Current < limit.Maximum)
            {
                var raised = new RLimit { Current = limit.Maximum, Maximum = limit.Maximum };
                if (SetRLimit(RlimitNoFile, raised) == 0)
                {
                    limit = raised;
                }
            }

            return ((long)Math.Min(limit.Current, long.MaxValue), (long)Math.Min(limit.Maximum, long.MaxValue));
        }
        catch (DllNotFoundException)
        {
            return (0, 0);
        }
        catch (EntryPointNotFoundException)
        {
            return (0, 0);
        }
    }
}
