using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>The answer to WhoIs: the user's away text and every session they have (none when offline).</summary>
public sealed record UserInfoPacket(uint Tag, string UserName, string Away, IReadOnlyList<SessionSummary> Sessions) : IPacket
{
    /// <summary>The away text, cut to <see cref="WireStrings.MaxTextBytes"/> UTF-8 bytes (what a receiver reads).</summary>
    public string Away { get; init => field = WireStrings.Fit(value, WireStrings.MaxTextBytes); } = WireStrings.Fit(Away, WireStrings.MaxTextBytes);

    // Smallest entry: session id (8), empty client (2), since (8), version (2).
    private const int MinEntrySize = 8 + 2 + 8 + 2;

    public PacketType Type => PacketType.UserInfo;

    public int MeasureBody()
    {
        int size = 4 + WireWriter.Utf8Size(UserName) + WireWriter.Utf8Size(Away) + 4;
        foreach (var session in Sessions)
        {
            size += 8 + WireWriter.Utf8Size(session.Client) + 8 + 2;
        }

        return size;
    }

    // tag:u32 | userName:str16 | away:str16 | count:i32 | (sessionId:u64 | client:str16 (<= 256 bytes) | sinceMs:i64 | version:u16) × count
    public void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Tag);
        writer.WriteString(UserName);
        writer.WriteString(Away);
        writer.WriteInt32(Sessions.Count);
        foreach (var session in Sessions)
        {
            writer.WriteUInt64(session.SessionId);
            writer.WriteString(session.Client);
            writer.WriteInt64(session.SinceMs);
            writer.WriteUInt16(session.Version);
        }
    }

    /// <summary>
    /// This answer with as many sessions as fit in one frame to <paramref name="target"/> of at most
    /// <see cref="ProtocolLimits.LargestFrame"/> bytes; the later ones are left out. The list has no More flag to split
    /// it by, and 245 sessions with 256-byte client descriptions once made a 67,645-byte frame every client must refuse.
    /// </summary>
    public UserInfoPacket FittedTo(string target)
    {
        int budget = ProtocolLimits.LargestFrame + 4 - FrameCodec.Measure(target, this with { Sessions = [] });
        int count = 0;
        foreach (var session in Sessions)
        {
            budget -= 8 + WireWriter.Utf8Size(session.Client) + 8 + 2;
            if (budget < 0)
            {
                break;
            }

            count++;
        }

        return count == Sessions.Count ? this : this with { Sessions = Sessions.Take(count).ToArray() };
    }

    public static UserInfoPacket Read(ref WireReader reader)
    {
        uint tag = reader.ReadUInt32();
        string user = reader.ReadString(WireStrings.MaxNameBytes, "user name");
        string away = reader.ReadString(WireStrings.MaxTextBytes, "away text");
        int count = reader.ReadInt32();
        WireStrings.CheckCount(count, MinEntrySize, reader.Remaining, "session list");
        var sessions = new SessionSummary[count];
        for (int i = 0; i < count; i++)
        {
            sessions[i] = new SessionSummary(
                reader.ReadUInt64(),
                reader.ReadString(WireStrings.MaxClientBytes, "client description"),
                reader.ReadInt64(),
                reader.ReadUInt16());
        }

        return new UserInfoPacket(tag, user, away, sessions);
    }

    public override string ToString() => $"UserInfo tag={Tag} '{UserName}' sessions={Sessions.Count}{(Away.Length > 0 ? " away" : string.Empty)}";
}
