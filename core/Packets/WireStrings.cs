namespace LanTalk.Core.Packets;

/// <summary>Byte limits of v3 strings on read: generous bounds on the wire; the server applies its tighter settings.</summary>
public static class WireStrings
{
    /// <summary>A user or room name: 32 characters of up to 4 UTF-8 bytes each.</summary>
    public const int MaxNameBytes = 128;

    /// <summary>A topic, away text, reason or search query.</summary>
    public const int MaxTextBytes = 4096;

    /// <summary>A session's client description, as ClientHello bounds it.</summary>
    public const int MaxClientBytes = 256;

    /// <summary>Throws a protocol violation when a declared count is negative or cannot fit the bytes left.</summary>
    public static void CheckCount(int count, int minEntryBytes, int remaining, string what)
    {
        if (count < 0 || (long)count * minEntryBytes > remaining)
        {
            throw Protocol.ProtocolViolationException.Violation($"{what} declares {count} entries but holds {remaining} bytes");
        }
    }
}
