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

    /// <summary>Entries kept: a few host and DiscoveryName pairs (a rescue boot, a renamed machine), never a growing file.</summary>
    private const int MaxEntries = 16;

    private const string Header = "# lantalk-server: mDNS names won after a name conflict (kind, configured name, name in use), one line per configured name. Delete to probe the configured names again.";

    /// <summary><paramref name="configured"/> with the names kept from an earlier conflict, where they still apply.</summary>
    public static ServiceRecords Apply(ServiceRecords configured, string dataDirectory)
    {
        if (Read(dataDirectory) is not { } entries)
        {
            return configured;
        }

        var records = configured;
        foreach (var (kind, from, won) in entries)
        {
            if (kind == "host" && from == configured.HostLabel && Derived(won, from, "-"))
            {
                records = records with { HostLabel = won };
            }
            else if (kind == "instance" && from == configured.Instance && Derived(won, from, " ("))
            {
                records = records with { Instance = won };
            }
        }

        return records;
    }

    /// <summary>
    /// Keeps <paramref name="won"/> for the next start under the configured names; a configured name won as it is
    /// drops its entry. Entries of other configured names stay: one start under another host name (a rescue boot, a
    /// DHCP-assigned name) deleted the whole file, and back under its own name the server took the other machine's
    /// name, so the two servers swapped names (an outside audit, 2026-12-06).
    /// </summary>
    public static void Save(ServiceRecords configured, ServiceRecords won, string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        var kept = Read(dataDirectory) ?? [];
        var entries = new List<(string Kind, string From, string Won)>();
        if (won.HostLabel != configured.HostLabel)
        {
            entries.Add(("host", configured.HostLabel, won.HostLabel));
        }

        if (won.Instance != configured.Instance)
        {
            entries.Add(("instance", configured.Instance, won.Instance));
        }

        entries.AddRange(kept.Where(e => !(e.Kind == "host" && e.From == configured.HostLabel) && !(e.Kind == "instance" && e.From == configured.Instance)));
        try
        {
            if (entries.Count == 0)
            {
                File.Delete(path);
                return;
            }

            // A name holding a tab or a newline cannot be kept in this format; the next start probes it again.
            var lines = entries.Where(e => !$"{e.From}{e.Won}".Any(c => c is '\t' or '\n' or '\r')).Take(MaxEntries).Select(e => $"{e.Kind}\t{e.From}\t{e.Won}");
            string temp = path + ".tmp";
            File.WriteAllText(temp, string.Join('\n', [Header, .. lines]) + "\n", new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Warn("Discovery: cannot keep the names won in {Path} ({Error}); the next start probes the configured names again", path, ex.Message);
        }
    }

    /// <summary>The file's entries (none when it is absent), or null when it cannot be read.</summary>
    private static List<(string Kind, string From, string Won)>? Read(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        try
        {
            var lines = File.Exists(path) ? File.ReadAllLines(path, Encoding.UTF8) : [];
            return [.. lines.Select(l => l.Split('\t')).Where(p => p.Length == 3 && p[0] is "host" or "instance" && p[1] != p[2]).Take(MaxEntries).Select(p => (p[0], p[1], p[2]))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            s_log.Warn("Discovery: cannot read {Path} ({Error}); probing the configured names", path, ex.Message);
            return null;
        }
    }

    private static bool Derived(string won, string configured, string separator) =>
        won.Length > configured.Length + separator.Length && won.StartsWith(configured + separator, StringComparison.Ordinal);
}
