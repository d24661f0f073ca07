using System.Globalization;
using System.Text;

namespace LanTalk.Client.Archive;

/// <summary>
/// Which server message ids are already in the archive, per conversation, so that history the server sends again
/// (the last 50 of a room on every join, a catch-up after a reconnect) is archived once. Kept as a few id ranges per
/// conversation in <c>archived-ids</c> beside the day files (one line per range): ids grow across the whole server, so
/// a message newer than a range extends it (the ids in between belong to other conversations, or were archived).
/// A message older than every range starts a range of its own instead of stretching the oldest one down: messages
/// that arrive out of order (a catch-up's older private messages after a newer one stored for the login) would
/// otherwise fall inside the stretched range and be skipped as archived (a UX audit, 2026-12-05). Ranges that meet
/// are joined; past <see cref="MaxRanges"/> per conversation the two closest are joined, so the file stays small.
/// A range may grow across ids the client never received, so where the client knows it skipped messages (a catch-up
/// that showed only the newest of what was missed, and counted the rest) it records a <see cref="Hole"/>: the ids
/// between the last one seen and the first one shown are archived only as they are written, each remembered, until as
/// many as were missed are in. Before holes, the messages paged back into such a gap were shown but counted as
/// archived and never written (a history audit, 2026-12-05: 60 of 260 missed lines never reached the archive).
/// A replay that shows a room's newest messages after more than it holds were missed (a start, a /join of a room left
/// in an earlier run) records such a hole too (<see cref="ArchiveWriter.ReplayEnded"/>). A hole dropped past
/// <see cref="MaxHoles"/> takes its ids out of the ranges again, so they may be archived twice but are never lost.
/// A file line is <c>KEY LOW HIGH</c> for a range, <c>KEY hole AFTER BEFORE MISSED [ID,ID...]</c> for a hole.
/// </summary>
internal sealed class ArchivedRanges
{
    public const string FileName = "archived-ids";

    /// <summary>Most ranges kept per conversation; each out-of-order arrival can start one.</summary>
    public const int MaxRanges = 16;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(ulong Low, ulong High)>> _ranges = new(StringComparer.Ordinal);

    // Per conversation, the gaps the client knows it skipped (see Hole). Guarded by _lock.
    private readonly Dictionary<string, List<ArchiveHole>> _holes = new(StringComparer.Ordinal);

    /// <summary>Most holes kept per conversation; past it the oldest is forgotten (its messages may then be archived twice, never lost).</summary>
    public const int MaxHoles = 16;
    private readonly string _path;
    private bool _dirty;

    private ArchivedRanges(string path)
    {
        _path = path;
    }

    /// <summary>Reads the file in <paramref name="folder"/>; a missing or damaged file starts empty (at worst a replay is archived again).</summary>
    public static ArchivedRanges Load(string folder)
    {
        var ranges = new ArchivedRanges(Path.Combine(folder, FileName));
        try
        {
            foreach (string line in File.ReadLines(ranges._path))
            {
                string[] parts = line.Split(' ');
                if (ArchiveHole.Parse(parts) is { } hole)
                {
                    ranges.AddHole(parts[0], hole);
                    continue;
                }

                if (parts.Length == 3
                    && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong low)
                    && ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong high)
                    && low <= high)
                {
                    ranges.Cover(parts[0], low, high);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No file yet, or unreadable: nothing is known to be archived.
        }

        ranges._dirty = false;
        return ranges;
    }

    /// <summary>The conversation a message belongs to: <c>#room</c>, <c>#</c> for a v2 server's one room, <c>@peer</c> for private messages.</summary>
    public static string KeyOf(string? room, string? peer) =>
        peer is not null ? "@" + ArchiveLocation.Sanitize(peer) : "#" + (room is null ? string.Empty : ArchiveLocation.Sanitize(room));

    /// <summary>The newest id archived of any private conversation (keys <c>@peer</c>), 0 for none.</summary>
    public ulong NewestPrivate()
    {
        lock (_lock)
        {
            ulong newest = 0;
            foreach (var (key, list) in _ranges)
            {
                if (key.StartsWith('@') && list.Count > 0)
                {
                    newest = Math.Max(newest, list.Max(r => r.High));
                }
            }

            return newest;
        }
    }

    /// <summary>
    /// The client skipped <paramref name="missed"/> messages of <paramref name="key"/> with ids between
    /// <paramref name="after"/> and <paramref name="before"/> (exclusive): none of them counts as archived until written.
    /// </summary>
    public void Hole(string key, ulong after, ulong before, long missed)
    {
        if (before <= after + 1 || missed <= 0)
        {
            return;
        }

        AddHole(key, new ArchiveHole(after, before, missed, []));
    }

    private void AddHole(string key, ArchiveHole hole)
    {
        lock (_lock)
        {
            if (!_holes.TryGetValue(key, out var list))
            {
                _holes[key] = list = [];
            }

            if (list.FirstOrDefault(h => h.After == hole.After && h.Before == hole.Before) is { } same)
            {
                same.Archived.UnionWith(hole.Archived);
            }
            else
            {
                list.Add(hole);
                if (list.Count > MaxHoles)
                {
                    // Forgotten, the hole's ids must not count as archived by the range that grew across it: those not
                    // written yet would never be (a replay that follows a gap extends the range below it over the gap).
                    Uncover(key, list[0]);
                    list.RemoveAt(0);
                }
            }

            list.RemoveAll(h => h.IsFull);
            _dirty = true;
        }
    }

    /// <summary>
    /// Takes the ids strictly inside <paramref name="hole"/> out of <paramref name="key"/>'s ranges, keeping those the hole
    /// saw written as ranges of their own while there is room. Caller holds _lock.
    /// </summary>
    private void Uncover(string key, ArchiveHole hole)
    {
        if (!_ranges.TryGetValue(key, out var list))
        {
            return;
        }

        var kept = new List<(ulong Low, ulong High)>();
        foreach (var range in list)
        {
            if (range.High <= hole.After || range.Low >= hole.Before)
            {
                kept.Add(range);
                continue;
            }

            if (range.Low <= hole.After)
            {
                kept.Add((range.Low, hole.After));
            }

            if (range.High >= hole.Before)
            {
                kept.Add((hole.Before, range.High));
            }
        }

        // The newest written ones first: a replay brings a room's newest messages again, never its oldest.
        foreach (ulong id in hole.Archived.OrderDescending().Take(Math.Max(0, MaxRanges - kept.Count)))
        {
            kept.Add((id, id));
        }

        list.Clear();
        list.AddRange(kept);
        Normalize(list);
        _dirty = true;
    }

    /// <summary>True when a replayed id is already archived; otherwise records it and returns false.</summary>
    public bool ContainsOrAdd(string key, ulong id)
    {
        lock (_lock)
        {
            if (_holes.TryGetValue(key, out var holes) && holes.FirstOrDefault(h => h.Holds(id)) is { } hole)
            {
                bool known = !hole.Archived.Add(id);
                if (!known)
                {
                    _dirty = true;
                    if (hole.IsFull)
                    {
                        // Every skipped message is in: the ranges around it say the truth again.
                        holes.Remove(hole);
                    }
                }

                return known;
            }

            if (!_ranges.TryGetValue(key, out var list))
            {
                _ranges[key] = list = [];
            }

            // The newest range that starts at or below the id: the id is in it, or newer than all of it.
            int below = list.FindLastIndex(r => r.Low <= id);
            if (below >= 0 && id <= list[below].High)
            {
                return true;
            }

            if (below >= 0)
            {
                list[below] = (list[below].Low, id);
            }
            else
            {
                list.Insert(0, (id, id));
            }

            Normalize(list);
            _dirty = true;
            return false;
        }
    }

    /// <summary>True when <paramref name="id"/> is archived (in a range, or written into a hole); records nothing.</summary>
    public bool Contains(string key, ulong id)
    {
        lock (_lock)
        {
            if (_holes.TryGetValue(key, out var holes) && holes.FirstOrDefault(h => h.Holds(id)) is { } hole)
            {
                return hole.Archived.Contains(id);
            }

            return _ranges.TryGetValue(key, out var list) && list.Exists(r => r.Low <= id && id <= r.High);
        }
    }

    /// <summary>
    /// The newest archived id of <paramref name="key"/> below <paramref name="id"/> (0 for none), or null when
    /// <paramref name="id"/> itself is archived: where a range would grow from to take in <paramref name="id"/>.
    /// </summary>
    public ulong? NewestBelow(string key, ulong id)
    {
        lock (_lock)
        {
            if (_holes.TryGetValue(key, out var holes) && holes.FirstOrDefault(h => h.Holds(id)) is { } hole)
            {
                // Inside a known gap: what is archived below it is the hole's own business.
                return hole.Archived.Contains(id) ? null : 0;
            }

            if (!_ranges.TryGetValue(key, out var list))
            {
                return 0;
            }

            int below = list.FindLastIndex(r => r.Low <= id);
            return below < 0 ? 0 : id <= list[below].High ? null : list[below].High;
        }
    }

    /// <summary>Records a live message's id, so the next replay that repeats it is skipped.</summary>
    public void Add(string key, ulong id) => ContainsOrAdd(key, id);

    /// <summary>The ranges of <paramref name="key"/>, oldest first (for tests and the file).</summary>
    public IReadOnlyList<(ulong Low, ulong High)> RangesOf(string key)
    {
        lock (_lock)
        {
            return _ranges.TryGetValue(key, out var list) ? [.. list] : [];
        }
    }

    /// <summary>Adds <paramref name="other"/>'s ranges: what another window archived counts as archived here.</summary>
    public void Merge(ArchivedRanges other)
    {
        List<(string Key, ulong Low, ulong High)> theirs;
        lock (other._lock)
        {
            theirs = [.. other._ranges.SelectMany(pair => pair.Value.Select(r => (pair.Key, r.Low, r.High)))];
        }

        foreach (var (key, low, high) in theirs)
        {
            Cover(key, low, high);
        }

        List<(string Key, ArchiveHole Hole)> theirHoles;
        lock (other._lock)
        {
            theirHoles = [.. other._holes.SelectMany(pair => pair.Value.Select(h => (pair.Key, h.Copy())))];
        }

        foreach (var (key, hole) in theirHoles)
        {
            AddHole(key, hole);
        }
    }

    private void Cover(string key, ulong low, ulong high)
    {
        lock (_lock)
        {
            if (!_ranges.TryGetValue(key, out var list))
            {
                _ranges[key] = list = [];
            }

            if (list.Any(r => r.Low <= low && high <= r.High))
            {
                return;
            }

            list.Add((low, high));
            Normalize(list);
            _dirty = true;
        }
    }

    /// <summary>Sorts, joins ranges that overlap or meet, and past <see cref="MaxRanges"/> joins the two closest.</summary>
    private static void Normalize(List<(ulong Low, ulong High)> list)
    {
        list.Sort((a, b) => a.Low.CompareTo(b.Low));
        for (int i = list.Count - 1; i > 0; i--)
        {
            if (list[i].Low <= list[i - 1].High + 1)
            {
                list[i - 1] = (list[i - 1].Low, Math.Max(list[i - 1].High, list[i].High));
                list.RemoveAt(i);
            }
        }

        while (list.Count > MaxRanges)
        {
            int closest = 1;
            for (int i = 2; i < list.Count; i++)
            {
                if (list[i].Low - list[i - 1].High < list[closest].Low - list[closest - 1].High)
                {
                    closest = i;
                }
            }

            list[closest - 1] = (list[closest - 1].Low, list[closest].High);
            list.RemoveAt(closest);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next save to write over, with the same name.
        }
    }

    /// <summary>Writes the file when something changed: a temporary file renamed over it, so a crash leaves the old one whole.</summary>
    public void Save()
    {
        string text;
        lock (_lock)
        {
            if (!_dirty)
            {
                return;
            }

            var builder = new StringBuilder();
            foreach (var (key, list) in _ranges)
            {
                foreach (var range in list)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"{key} {range.Low} {range.High}\n");
                }
            }

            foreach (var (key, list) in _holes)
            {
                foreach (var hole in list)
                {
                    builder.Append(key).Append(' ').Append(hole.Format()).Append('\n');
                }
            }

            text = builder.ToString();
            _dirty = false;
        }

        // Two lantalk windows of one user share this folder: each renames its own temporary file.
        string temp = $"{_path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            using (var stream = Settings.PrivateFiles.Create(temp))
            {
                stream.Write(new UTF8Encoding(false).GetBytes(text));
            }

            File.Move(temp, _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Written again at the next save; a full disk left each try's temporary file behind.
            lock (_lock)
            {
                _dirty = true;
            }

            TryDelete(temp);
            throw;
        }
    }
}
