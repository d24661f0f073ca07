using LanTalk.Client.Text;

namespace LanTalk.Client.Archive;

/// <summary>Reads archive day files: the newest lines for /archive, and a search over all days.</summary>
internal static class ArchiveReader
{
    /// <summary>The last <paramref name="count"/> lines of the folder, oldest first, reading only as many days as needed.</summary>
    public static IReadOnlyList<string> Tail(string folder, int count)
    {
        var lines = new List<string>();
        foreach (string file in DayFiles(folder).Reverse())
        {
            var day = ReadLines(file);
            int take = Math.Min(count - lines.Count, day.Count);
            lines.InsertRange(0, day.Skip(day.Count - take));
            if (lines.Count >= count)
            {
                break;
            }
        }

        return lines;
    }

    /// <summary>
    /// Every line, in any day file of the given folders, whose text as written (un-escaped, as /archive shows it)
    /// contains <paramref name="text"/> ignoring case. Matching the escaped file form missed C:\Users as typed (the
    /// file holds C:\\Users) and found the notation itself: x1b in every line that held an ESC (an outside audit, F2).
    /// </summary>
    public static IEnumerable<string> Search(IEnumerable<string> folders, string text)
    {
        foreach (string folder in folders)
        {
            foreach (string file in DayFiles(folder))
            {
                foreach (string line in ReadLines(file))
                {
                    if (ArchiveFormat.Unescape(line).Contains(text, StringComparison.OrdinalIgnoreCase))
                    {
                        yield return line;
                    }
                }
            }
        }
    }

    /// <summary>Archive folders (root/server/user) under the root, for searches over everything.</summary>
    public static IEnumerable<string> AllFolders(string root) => !Directory.Exists(root)
        ? []
        : Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).SelectMany(server => Directory.EnumerateDirectories(server).Order(StringComparer.Ordinal));

    /// <summary>YYYY-MM-DD.log files sort by date when sorted by name.</summary>
    public static IEnumerable<string> DayFiles(string folder) => !Directory.Exists(folder)
        ? []
        : Directory.EnumerateFiles(folder, "????-??-??.log").Order(StringComparer.Ordinal);

    /// <summary>
    /// A day's lines in time order. Lines are appended as they are seen, so messages paged back with /history or
    /// PageUp follow newer ones in the file; /archive and search showed them out of order ("oldest first" was not;
    /// a UX audit, 2026-12-06). Ordered by the parsed stamp, not its text: older clients wrote whole seconds
    /// (<c>10:00:00Z</c>), and as text that sorted after <c>10:00:00.500Z</c> of the same second ('.' before 'Z';
    /// an upgrade audit, the same day). A line without a stamp (damaged) keeps the time of the line before it, so it
    /// stays beside it; the sort is stable, keeping the order of a millisecond's lines as written.
    /// </summary>
    private static List<string> ReadLines(string file)
    {
        var lines = ReadRawLines(file);
        var times = new long[lines.Count];
        long last = long.MinValue;
        for (int i = 0; i < lines.Count; i++)
        {
            if (ArchiveFormat.TryParseTime(lines[i], out var time))
            {
                last = time.UtcTicks;
            }

            times[i] = last;
        }

        return [.. Enumerable.Range(0, lines.Count).OrderBy(i => times[i]).Select(i => lines[i])];
    }

    // FileShare.ReadWrite: the running client may be appending to today's file.
    private static List<string> ReadRawLines(string file)
    {
        var lines = new List<string>();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        foreach (string line in LfLines.All(reader))
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
