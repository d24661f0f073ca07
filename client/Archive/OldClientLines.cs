using System.Globalization;
using LanTalk.Client.Text;
using LanTalk.Core.Client;

namespace LanTalk.Client.Archive;

/// <summary>
/// The lines an older lantalk wrote into this archive, recognised by what they hold since nothing records their ids:
/// the first releases kept no <c>archived-ids</c> file, and every release before the current one stamped whole
/// seconds. Without this, a user who upgraded from such a client had the join replay archived a second time and the
/// private messages it had shown shown again as missed (an upgrade audit, 2026-12-06). A server message matches a
/// line with its time in whole seconds, its kind (public or private), sender, recipient, text, and room when the line
/// names one (the first releases' lines name none: they saw the default room only). An action matches its plain
/// line too: a v2 session receives /me as plain text. Two identical messages of one sender in one second would be
/// taken for one; that is the price of lines without ids.
/// </summary>
internal sealed class OldClientLines(string folder)
{
    private readonly Lock _lock = new();

    // Per day file, the keys of its whole-second lines: each day is read at most once per run, and only when a
    // message of that day is asked about (a join replay, a catch-up, a page of /history). Lines this client writes
    // carry milliseconds and are not kept.
    private readonly Dictionary<string, HashSet<string>> _days = new(StringComparer.Ordinal);

    /// <summary>True when an older client's line of this archive holds <paramref name="message"/>.</summary>
    public bool Holds(ChatMessage message)
    {
        var keys = Day(ArchiveFormat.DayFileName(message.ServerTime));
        if (keys.Count == 0)
        {
            return false;
        }

        var second = message.ServerTime.UtcDateTime;
        second = second.AddTicks(-(second.Ticks % TimeSpan.TicksPerSecond));
        return keys.Contains(Key(second, message, string.Empty))
            || (message.Room.Length > 0 && keys.Contains(Key(second, message, message.Room)));
    }

    private HashSet<string> Day(string fileName)
    {
        lock (_lock)
        {
            if (!_days.TryGetValue(fileName, out var keys))
            {
                _days[fileName] = keys = Index(Path.Combine(folder, fileName));
            }

            return keys;
        }
    }

    private static HashSet<string> Index(string path)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!File.Exists(path))
            {
                return keys;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            foreach (string line in LfLines.All(reader))
            {
                // "2026-12-06T12:07:35Z ": a whole-second stamp is 20 characters; this client's have milliseconds.
                if (line.Length > 21 && line[19] == 'Z' && line[20] == ' ' && ArchiveFormat.TryParse(line, out var old))
                {
                    keys.Add(Key(old.ServerTime.UtcDateTime, old, old.Room));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable: nothing is known to be held, and at worst a message is archived twice.
        }

        return keys;
    }

    // Names and rooms ignore case, as the server's do; '\n' cannot occur in a name, and the text comes last.
    private static string Key(DateTime second, ChatMessage message, string room) =>
        string.Join('\n',
            second.Ticks.ToString(CultureInfo.InvariantCulture),
            message.To is null ? "PUB" : "PRIV",
            message.From.ToLowerInvariant(),
            message.To?.ToLowerInvariant() ?? string.Empty,
            room.ToLowerInvariant(),
            message.Text);
}
