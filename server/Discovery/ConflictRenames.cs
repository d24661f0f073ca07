using LanTalk.Core.Discovery;

namespace LanTalk.Server.Discovery;

/// <summary>
/// The new names after a conflict (RFC 6762 §9), and what the operator is told. Pure, so each rule is unit tested:
/// only the name another host claims is renamed, and the warning names that record.
/// </summary>
internal static class ConflictRenames
{
    /// <summary><paramref name="records"/> with the names of <paramref name="conflict"/> renamed, the others kept.</summary>
    public static ServiceRecords Renamed(ServiceRecords records, NameConflict conflict) => records with
    {
        Instance = conflict.HasFlag(NameConflict.Instance) ? NextName(records.Instance, " (") : records.Instance,
        HostLabel = conflict.HasFlag(NameConflict.Host) ? NextName(records.HostLabel, "-") : records.HostLabel,
    };

    /// <summary>The warning for a rename from <paramref name="before"/> to <paramref name="after"/>: which record another host claims, and the name tried next.</summary>
    public static string Warning(ServiceRecords before, ServiceRecords after, NameConflict conflict)
    {
        var parts = new List<string>();
        if (conflict.HasFlag(NameConflict.Instance))
        {
            parts.Add($"another server on the LAN is \"{before.Instance}\" ({before.InstanceName} SRV/TXT); trying \"{after.Instance}\"");
        }

        if (conflict.HasFlag(NameConflict.Host))
        {
            parts.Add($"another machine on the LAN answers for {before.HostName} (A/AAAA) with other addresses; trying {after.HostName}");
        }

        return "Discovery: " + string.Join("; ", parts);
    }

    /// <summary>
    /// "Chat" becomes "Chat (2)", "Chat (2)" becomes "Chat (3)" (RFC 6763 §9 style); host names get "-2". The name
    /// before the number is shortened so the whole still fits one DNS label: "NAME (2)" of a 63-byte name did not,
    /// and writing the probe threw, so the server was never announced.
    /// </summary>
    public static string NextName(string name, string separator)
    {
        string close = separator == " (" ? ")" : string.Empty;
        int at = name.LastIndexOf(separator, StringComparison.Ordinal);
        string stem = name;
        int next = 2;
        if (at > 0 && name.EndsWith(close, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(at + separator.Length, name.Length - at - separator.Length - close.Length), out int n) && n < 1000)
        {
            stem = name[..at];
            next = n + 1;
        }

        string suffix = $"{separator}{next}{close}";
        return Fit(stem, DnsLimits.MaxLabelBytes - System.Text.Encoding.UTF8.GetByteCount(suffix)) + suffix;
    }

    /// <summary>The longest start of <paramref name="text"/> of at most <paramref name="maxBytes"/> UTF-8 bytes, cut between characters.</summary>
    private static string Fit(string text, int maxBytes)
    {
        int bytes = 0;
        int length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return text[..length];
    }
}
