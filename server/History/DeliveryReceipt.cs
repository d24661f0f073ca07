namespace LanTalk.Server.History;

/// <summary>A stored private message that reached its recipient: the data of the receipt its sender is shown.</summary>
public sealed record DeliveryReceipt(long MessageId, string Sender, string Recipient, long DeliveredMs)
{
    public DateTimeOffset Delivered => LanTalk.Core.Protocol.UnixMilliseconds.ToTime(DeliveredMs);
}
