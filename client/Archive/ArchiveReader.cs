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
    /// <remarks>
    /// Each day's lines are matched first and only the matches are put in time order (<see cref="InTimeOrder"/>):
    /// parsing and sorting every line before matching took 7-15 s over 1.2 million archived lines, where grep took
    /// 0.16 s (an archive audit, 2026-12-07). A line is un-escaped only when it holds a backslash.
    /// </remarks>
    public static IEnumerable<string> Search(IEnumerable<string> folders, string text)
    {
        foreach (string folder in folders)
        {
            foreach (string file in DayFiles(folder))
            {
                var day = DayText.Read(file);
                var matches = new List<int>();
                for (int i = 0; i < day.Count; i++)
                {
                    var line = day.Span(i);
                    // Un-escaped only when it holds an escape; otherwise matched where it lies, without a copy.
                    bool found = line.Contains('\\')
                        ? ArchiveFormat.Unescape(line.ToString()).Contains(text, StringComparison.OrdinalIgnoreCase)
                        : line.Contains(text, StringComparison.OrdinalIgnoreCase);
                    if (found)
                    {
                        matches.Add(i);
                    }
                }

                foreach (string line in InTimeOrder(day, matches))
                {
                    yield return line;
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
        var day = DayText.Read(file);
        return InTimeOrder(day, Enumerable.Range(0, day.Count).ToList());
    }

    /// <summary>
    /// The lines at <paramref name="picked"/> (ascending line numbers of <paramref name="day"/>) in time order: by each
    /// line's stamp, or for a line without one the stamp of the nearest line before it that has one.
    /// </summary>
    private static List<string> InTimeOrder(DayText day, List<int> picked)
    {
        var times = new long[picked.Count];
        // The nearest stamp at or before line `resolved`: a damaged line looks back only as far as the last line
        // resolved, so a day of damaged lines is read once, not once per line.
        long last = long.MinValue;
        int resolved = -1;
        for (int k = 0; k < picked.Count; k++)
        {
            long found = last;
            for (int i = picked[k]; i > resolved; i--)
            {
                // Usually the line itself.
                if (ArchiveFormat.TryParseTime(day.Span(i), out var time))
                {
                    found = time.UtcTicks;
                    break;
                }
            }

            times[k] = last = found;
            resolved = picked[k];
        }

        return [.. Enumerable.Range(0, picked.Count).OrderBy(k => times[k]).Select(k => day.Line(picked[k]))];
    }
}
