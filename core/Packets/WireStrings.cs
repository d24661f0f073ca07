using System.Text;

namespace LanTalk.Core.Packets;

/// <summary>Byte limits of v3 strings on read: generous bounds on the wire; the server applies its tighter settings.</summary>
public static class WireStrings
{
    /// <summary>A user or room name: 32 characters of up to 4 UTF-8 bytes each.</summary>
    public const int MaxNameBytes = Protocol.ProtocolLimits.NameFieldBytes;

    /// <summary>A topic, away text, reason or search query.</summary>
    public const int MaxTextBytes = 4096;

    /// <summary>A session's client description, as ClientHello bounds it.</summary>
    public const int MaxClientBytes = 256;

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="maxBytes"/> UTF-8 bytes, at a character boundary (never
    /// between the halves of a surrogate pair). Packets whose text has a limit on read pass it through here, because a
    /// receiver takes a longer string as a protocol violation: a 5,000-character kick reason typed at the operator
    /// console once went out whole, and the kicked client reported a broken protocol instead of the kick.
    /// </summary>
    public static string Fit(string text, int maxBytes)
    {
        // A UTF-16 code unit takes at most 3 UTF-8 bytes (a surrogate pair, two units, takes 4).
        if (text.Length <= maxBytes / 3 || Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        int bytes = 0;
        int end = 0;
        while (end < text.Length)
        {
            // A lone surrogate decodes as U+FFFD (1 unit), which Encoding.UTF8 also writes, in 3 bytes.
            Rune.DecodeFromUtf16(text.AsSpan(end), out var rune, out int units);
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += units;
        }

        return text[..end];
    }

    /// <summary>Throws a protocol violation when a declared count is negative or cannot fit the bytes left.</summary>
    public static void CheckCount(int count, int minEntryBytes, int remaining, string what)
    {
        if (count < 0 || (long)count * minEntryBytes > remaining)
        {
            throw Protocol.ProtocolViolationException.Violation($"{what} declares {count} entries but holds {remaining} bytes");
        }
    }
}
