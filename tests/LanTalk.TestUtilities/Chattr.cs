using System.Diagnostics;

namespace LanTalk.TestUtilities;

/// <summary>
/// chattr(1), for the immutable attribute: as root, file modes do not stop a write, so +i is how a test makes a file
/// or directory unwritable (ext4 and most Linux file systems; not tmpfs).
/// </summary>
public static class Chattr
{
    /// <summary>Runs chattr <paramref name="flag"/> on <paramref name="path"/>; its exit code, or -1 when chattr is missing.</summary>
    public static int Run(string flag, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            if (!process.WaitForExit(10_000))
            {
                throw new TimeoutException($"chattr {flag} {path} did not finish within 10 s");
            }

            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
