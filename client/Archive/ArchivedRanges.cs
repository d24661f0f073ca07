using System.Globalization;
using System.Text;

namespace LanTalk.Client.Archive;

/// <summary>
/// Which server message ids are already in the archive, per conversation, so that history the server sends again
/// (the last 50 of a room on every join, a catch-up after a reconnect) is archived once. Kept as one id range per
/// conversation in <c>archived-ids</c> beside the day files: ids grow across the whole server, so a replay either
/// overlaps the range (skipped) or extends it. A room that had more traffic between two runs than one replay shows
/// leaves a gap the range covers; paging back into that gap shows the messages but does not archive them.
/// </summary>
internal sealed class ArchivedRanges
{
    public const string FileName = "archived-ids";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ulong Low, ulong High)> _ranges = new(StringComparer.Ordinal);
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
                if (parts.Length == 3
                    && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong low)
                    && ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong high)
                    && low <= high)
                {
                    ranges._ranges[parts[0]] = (low, high);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No file yet, or unreadable: nothing is known to be archived.
        }

        return ranges;
    }

    /// <summary>The conversation a message belongs to: <c>#room</c>, <c>#</c> for a v2 server's one room, <c>@peer</c> for private messages.</summary>
    public static string KeyOf(string? room, string? peer) =>
        peer is not null ? "@" + ArchiveLocation.Sanitize(peer) : "#" + (room is null ? string.Empty : ArchiveLocation.Sanitize(room));

    /// <summary>True when a replayed id is already archived; otherwise records it and returns false.</summary>
    public bool ContainsOrAdd(string key, ulong id)
    {
        lock (_lock)
        {
            if (_ranges.TryGetValue(key, out var range))
            {
                if (id >= range.Low && id <= range.High)
                {
                    return true;
                }

                _ranges[key] = (Math.Min(range.Low, id), Math.Max(range.High, id));
            }
            else
            {
                _ranges[key] = (id, id);
            }

            _dirty = true;
            return false;
        }
    }

    /// <summary>Records a live message's id, so the next replay that repeats it is skipped.</summary>
    public void Add(string key, ulong id) => ContainsOrAdd(key, id);

    /// <summary>Widens each range to cover <paramref name="other"/>'s: what another window archived counts as archived here.</summary>
    public void Merge(ArchivedRanges other)
    {
        lock (other._lock)
        {
            foreach (var (key, range) in other._ranges)
            {
                ContainsOrAdd(key, range.Low);
                ContainsOrAdd(key, range.High);
            }
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
            foreach (var (key, range) in _ranges)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{key} {range.Low} {range.High}\n");
            }

            text = builder.ToString();
            _dirty = false;
        }

        // Two lantalk windows of one user share this folder: each renames its own temporary file.
        string temp = $"{_path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        using (var stream = Settings.PrivateFiles.Create(temp))
        {
            stream.Write(new UTF8Encoding(false).GetBytes(text));
        }

        File.Move(temp, _path, overwrite: true);
    }
}
