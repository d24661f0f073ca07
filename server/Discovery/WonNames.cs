using System.Text;
using NLog;

namespace LanTalk.Server.Discovery;

/// <summary>
/// The mDNS names this server won after a conflict, kept in the data directory (<see cref="FileName"/>), so that the
/// next start announces the same names. RFC 6762 §9 asks a host that had to pick a new name to record it
/// persistently. Without this, two machines both called "box" swapped box.local and box-2.local when they restarted in
/// the other order, and a client that remembered box-2.local reached the other server (an outside discovery audit,
/// 2026-12-06). A kept name is used only while the configured name (host name or DiscoveryName) is the one it was
/// derived from; deleting the file makes the server probe its configured names again.
/// </summary>
internal static class WonNames
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Discovery");

    public const string FileName = "discovery-names.txt";

    /// <summary><paramref name="configured"/> with the names kept from an earlier conflict, where they still apply.</summary>
    public static ServiceRecords Apply(ServiceRecords configured, string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        string[] lines;
        try
        {
            lines = File.Exists(path) ? File.ReadAllLines(path, Encoding.UTF8) : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Warn("Discovery: cannot read {Path} ({Error}); probing the configured names", path, ex.Message);
            return configured;
        }

        var records = configured;
        foreach (string line in lines.Take(8))
        {
            string[] parts = line.Split('\t');
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "host" && parts[1] == configured.HostLabel && Derived(parts[2], parts[1], "-"))
            {
                records = records with { HostLabel = parts[2] };
            }
            else if (parts[0] == "instance" && parts[1] == configured.Instance && Derived(parts[2], parts[1], " ("))
            {
                records = records with { Instance = parts[2] };
            }
        }

        return records;
    }

    /// <summary>Keeps <paramref name="won"/> for the next start; with the configured names won, forgets any kept ones.</summary>
    public static void Save(ServiceRecords configured, ServiceRecords won, string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        try
        {
            if (won.HostLabel == configured.HostLabel && won.Instance == configured.Instance)
            {
                File.Delete(path);
                return;
            }

            string text = "# lantalk-server: mDNS names won after a name conflict (kind, configured name, name in use). Delete to probe the configured names again.\n" +
                $"host\t{configured.HostLabel}\t{won.HostLabel}\ninstance\t{configured.Instance}\t{won.Instance}\n";
            if (text.Count(c => c == '\t') != 4 || text.Count(c => c == '\n') != 3)
            {
                return; // A name holding a tab or a newline cannot be kept in this format; the next start probes again.
            }

            string temp = path + ".tmp";
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Warn("Discovery: cannot keep the names won in {Path} ({Error}); the next start probes the configured names again", path, ex.Message);
        }
    }

    private static bool Derived(string won, string configured, string separator) =>
        won.Length > configured.Length + separator.Length && won.StartsWith(configured + separator, StringComparison.Ordinal);
}
