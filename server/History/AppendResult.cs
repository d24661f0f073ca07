namespace LanTalk.Server.History;

/// <summary>The outcome of an append; <see cref="Id"/> and <see cref="TimeMs"/> are 0 unless it was stored.</summary>
public readonly record struct AppendResult(AppendStatus Status, long Id, long TimeMs)
{
    /// <summary>True when the message is committed and its acknowledgement may be sent (never for a default value).</summary>
    public bool IsStored => Id > 0 && Status is AppendStatus.Stored or AppendStatus.StoredForDelivery;

    public static AppendResult Failed(AppendStatus status) => new(status, 0, 0);
}
