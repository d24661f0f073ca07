namespace LanTalk.Server.History;

/// <summary>
/// One message as history.db holds it. A room message has <see cref="Room"/> (the lower-cased room key) and no
/// <see cref="Recipient"/>; a private message has <see cref="Recipient"/> (the name as the sender typed it) and no room.
/// </summary>
/// <param name="Id">Persistent and increasing across restarts; never reused, even after retention deletes the newest rows.</param>
/// <param name="TimeMs">Server time in Unix milliseconds (UTC) when the writer took the message; never decreases as ids grow.</param>
public sealed record StoredMessage(long Id, string? Room, string Sender, string? Recipient, string Text, MessageKind Kind, long TimeMs)
{
    public DateTimeOffset Time => LanTalk.Core.Protocol.UnixMilliseconds.ToTime(TimeMs);

    public bool IsPrivate => Recipient is not null;

    public override string ToString() => $"#{Id} {(Room ?? "@" + Recipient)} <{Sender}> {Text.Length} chars";
}
