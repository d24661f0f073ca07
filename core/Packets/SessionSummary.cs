namespace LanTalk.Core.Packets;

/// <summary>One session of a user in a WhoIs answer: its id, its ClientHello description, login time and version.</summary>
public readonly record struct SessionSummary(ulong SessionId, string Client, long SinceMs, ushort Version)
{
    /// <summary>The description, cut to <see cref="WireStrings.MaxClientBytes"/> UTF-8 bytes (what a receiver reads).</summary>
    public string Client { get; init => field = WireStrings.Fit(value, WireStrings.MaxClientBytes); } = WireStrings.Fit(Client, WireStrings.MaxClientBytes);
}
