using LanTalk.Client.Settings;

namespace LanTalk.Client.Connection;

/// <summary>
/// The server fingerprints this user has trusted, one "host:port FINGERPRINT" line each, in the settings folder
/// (like SSH's known_hosts). Replaced atomically, so a crash never loses the other entries.
/// </summary>
internal sealed class KnownServers(string path)
{
    public string FilePath { get; } = path;

    public string? Find(ServerAddress server)
    {
        string key = Key(server);
        return Read().GetValueOrDefault(key);
    }

    public void Remember(ServerAddress server, string fingerprint)
    {
        var entries = Read();
        entries[Key(server)] = fingerprint;
        // Several lantalk windows (and 'lantalk send') may trust a server at once: each writes its own temporary file.
        string temp = $"{FilePath}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
            using (var stream = PrivateFiles.Create(temp))
            using (var writer = new StreamWriter(stream))
            {
                writer.WriteLine("# Servers whose TLS certificate you trusted: host:port SHA-256 fingerprint. Written by lantalk.");
                foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    writer.WriteLine($"{key} {value}");
                }

                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, FilePath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Each failed try left its temp file behind, and the failure surfaced as a TLS problem of the server
            // (fault injection, 2026-12-05): say what is wrong with the file, and what to do.
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The reason below matters more.
            }

            throw new IOException(Directory.Exists(FilePath)
                ? $"cannot save the trusted fingerprint to {FilePath}: it is a directory; move it away"
                : $"cannot save the trusted fingerprint to {FilePath}: {ex.Message.TrimEnd('.')}; make it (and its folder) writable for you", ex);
        }
    }

    private Dictionary<string, string> Read()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(FilePath))
        {
            return entries;
        }

        foreach (string line in File.ReadAllLines(FilePath))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && !parts[0].StartsWith('#'))
            {
                entries[parts[0]] = parts[1];
            }
        }

        return entries;
    }

    // Host names are case-insensitive; the port is part of the identity (two servers on one host).
    private static string Key(ServerAddress server) => $"{server.Host.ToLowerInvariant()}:{server.Port}";
}
