namespace LanTalk.Server.History;

/// <summary>
/// A stored private message that reached its recipient: the data of the receipt its sender is shown, and when the
/// message was stored (a receipt of a message stored before the sender's account was created is a removed namesake's).
/// </summary>
public sealed record DeliveryReceipt(long MessageId, string Sender, string Recipient, long DeliveredMs, long StoredMs)
{
    public DateTimeOffset Delivered => LanTalk.Core.Protocol.UnixMilliseconds.ToTime(DeliveredMs);
}
