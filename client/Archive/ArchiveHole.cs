using System.Globalization;

namespace LanTalk.Client.Archive;

/// <summary>
/// Messages of one conversation the client skipped: <see cref="Missed"/> of them, with ids strictly between
/// <see cref="After"/> and <see cref="Before"/>; <see cref="Archived"/> holds those written since (see
/// <see cref="ArchivedRanges.Hole"/>). Guarded by its owner's lock.
/// </summary>
internal sealed record ArchiveHole(ulong After, ulong Before, long Missed, HashSet<ulong> Archived)
{
    public bool Holds(ulong id) => After < id && id < Before;

    public bool IsFull => Archived.Count >= Missed;

    public ArchiveHole Copy() => this with { Archived = [.. Archived] };

    /// <summary>The file form after the key: <c>hole AFTER BEFORE MISSED</c>, then the archived ids joined by commas.</summary>
    public string Format() =>
        string.Create(CultureInfo.InvariantCulture, $"hole {After} {Before} {Missed}") + (Archived.Count == 0 ? string.Empty : " " + string.Join(',', Archived.Order()));

    /// <summary>A file line's parts as a hole, or null when they are not one (or are damaged: then the line is ignored).</summary>
    public static ArchiveHole? Parse(string[] parts)
    {
        if (parts.Length is < 5 or > 6 || parts[1] != "hole"
            || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong after)
            || !ulong.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out ulong before)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out long missed)
            || before <= after)
        {
            return null;
        }

        var archived = new HashSet<ulong>();
        if (parts.Length == 6)
        {
            foreach (string id in parts[5].Split(','))
            {
                if (ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) && after < value && value < before)
                {
                    archived.Add(value);
                }
            }
        }

        return new ArchiveHole(after, before, missed, archived);
    }
}
