namespace LanTalk.Core.Protocol;

/// <summary>
/// Times on the wire are int64 Unix milliseconds (PROTOCOL.md), and any of them may arrive: a bad clock, a hand-edited
/// store or a hostile peer. <see cref="DateTimeOffset.FromUnixTimeMilliseconds"/> throws outside the years 1 to 9999,
/// which took a client's whole connection down with a stack trace for one odd message (a fault audit), so every
/// conversion of a wire time goes through here and is clamped to what DateTimeOffset can hold.
/// </summary>
public static class UnixMilliseconds
{
    /// <summary>0001-01-01T00:00:00Z.</summary>
    public const long Min = -62_135_596_800_000;

    /// <summary>9999-12-31T23:59:59.999Z.</summary>
    public const long Max = 253_402_300_799_999;

    /// <summary>The time <paramref name="ms"/> stands for, or the nearest one DateTimeOffset holds.</summary>
    public static DateTimeOffset ToTime(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, Min, Max));
}
