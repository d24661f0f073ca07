using LanTalk.Server.History;

namespace LanTalk.Server.Rooms;

/// <summary>
/// The message log when history is off: ids from a counter, nothing stored. It completes synchronously, so the
/// router's hot path stays as cheap as before history existed. It cannot hold a message for an offline user, so
/// <c>queueForDelivery</c> answers <see cref="AppendStatus.StorageUnavailable"/> (the router then says UserOffline).
/// </summary>
public sealed class CounterMessageLog : IMessageLog
{
    private long _lastId;

    /// <param name="lastId">The id to count on from, so ids stay increasing across a history-off restart if known.</param>
    public CounterMessageLog(long lastId = 0) => _lastId = lastId;

    /// <summary>The last id handed out.</summary>
    public long LastId => Volatile.Read(ref _lastId);

    public Task<AppendResult> AppendRoomAsync(string room, string sender, string text, MessageKind kind = MessageKind.Normal) =>
        Task.FromResult(Next());

    public Task<AppendResult> AppendPrivateAsync(string sender, string recipient, string text, MessageKind kind = MessageKind.Normal, bool queueForDelivery = false) =>
        Task.FromResult(queueForDelivery ? AppendResult.Failed(AppendStatus.StorageUnavailable) : Next());

    public void AppendRoom(string room, string sender, string text, MessageKind kind, Action<AppendResult> committed) =>
        committed(Next());

    public void AppendPrivate(string sender, string recipient, string text, MessageKind kind, bool queueForDelivery, Action<AppendResult> committed) =>
        committed(queueForDelivery ? AppendResult.Failed(AppendStatus.StorageUnavailable) : Next());

    /// <summary>There is no queue without history; the router never asks (it refuses with UserOffline first).</summary>
    public void QueueForDelivery(AppendResult stored, string sender, string recipient, Action<AppendResult> queued) =>
        queued(AppendResult.Failed(AppendStatus.StorageUnavailable));

    /// <summary>Appends complete inline here, so nothing is ever pending.</summary>
    public void AfterPending(Action done) => done();

    private AppendResult Next() => new(AppendStatus.Stored, Interlocked.Increment(ref _lastId), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
