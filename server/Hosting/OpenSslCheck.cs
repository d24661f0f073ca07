using System.Runtime.InteropServices;
using LanTalk.Server.Cli;

namespace LanTalk.Server.Hosting;

/// <summary>
/// On Linux every cryptographic call (TLS, the certificate, even PBKDF2 for a plaintext login) goes through OpenSSL,
/// loaded on first use. Without it .NET either throws PlatformNotSupportedException from deep inside start-up or
/// prints "No usable version of libssl was found" and aborts the whole process at the first login. So the commands
/// that need it look for the library first and, when it is missing, stop with one line that names the package.
/// </summary>
internal static class OpenSslCheck
{
    // The sonames .NET's OpenSSL shim tries, newest first (OpenSSL 3, then 1.1 and the 1.0 variants).
    private static readonly string[] s_sonames = ["libssl.so.3", "libssl.so.1.1", "libssl.so.1.0.2", "libssl.so.1.0.0", "libssl.so.10", "libssl.so"];

    /// <summary>The commands that hash a password or touch the TLS identity; `user list`, help and friends work without OpenSSL.</summary>
    public static bool IsNeededBy(CommandKind kind) => kind is CommandKind.Run or CommandKind.ServiceRun or CommandKind.UserAdd
        or CommandKind.UserPasswd or CommandKind.UserAddTestUsers or CommandKind.ConfigCheck;

    /// <summary>Null when OpenSSL can be loaded (or the platform does not use it), else the one-line error.</summary>
    public static string? Problem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (string soname in s_sonames)
        {
            if (NativeLibrary.TryLoad(soname, out var handle))
            {
                NativeLibrary.Free(handle);
                return null;
            }
        }

        return "OpenSSL was not found (none of " + string.Join(", ", s_sonames) + " can be loaded); lantalk-server needs it for TLS and password hashing. "
            + "Install it: 'apt-get install libssl3' on Debian 12 and Ubuntu 22.04 (libssl3t64 on Debian 13 and Ubuntu 24.04), 'dnf install openssl-libs' on Fedora and RHEL, 'apk add libssl3' on Alpine.";
    }
}
