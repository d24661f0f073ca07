using LanTalk.Server.Users;

namespace LanTalk.Server.Tls;

/// <summary>
/// Data/server.fingerprint remembers the TLS fingerprint of the last start, so a change, whatever its cause (a lost
/// key, swapped PEM files, a restore from the wrong backup), is said loudly: every client that trusted the old one
/// will refuse to connect until its user accepts the new one.
/// </summary>
internal static class FingerprintRecord
{
    public const string FileName = "server.fingerprint";

    public static void Compare(string dataDirectory, string fingerprint, string source, List<string> warnings)
    {
        string path = Path.Combine(dataDirectory, FileName);
        string? previous = Read(path);
        if (previous == fingerprint)
        {
            return;
        }

        if (previous is not null)
        {
            warnings.Add($"The TLS fingerprint changed from {previous} to {fingerprint} ({source}). Every client that trusted the old one will refuse to connect "
                + "until its user accepts the new one. If you did not mean to change the server's identity, stop the server and restore server.crt and server.key "
                + "(or the PEM files in Settings.xml) from a backup.");
        }

        try
        {
            AtomicFile.Write(path, stream => stream.Write(System.Text.Encoding.ASCII.GetBytes($"SHA-256 {fingerprint}\n")), ownerOnly: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only data directory: the comparison just cannot be remembered; start-up goes on.
        }
    }

    private static string? Read(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            string text = File.ReadAllText(path).Trim();
            return text.StartsWith("SHA-256 ", StringComparison.Ordinal) ? text["SHA-256 ".Length..] : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
