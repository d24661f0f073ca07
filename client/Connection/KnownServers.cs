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
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
        // Several lantalk windows (and 'lantalk send') may trust a server at once: each writes its own temporary file.
        string temp = $"{FilePath}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        using (var writer = new StreamWriter(temp))
        {
            writer.WriteLine("# Servers whose TLS certificate you trusted: host:port SHA-256 fingerprint. Written by lantalk.");
            foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteLine($"{key} {value}");
            }

            writer.Flush();
            ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
        }

        File.Move(temp, FilePath, overwrite: true);
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
