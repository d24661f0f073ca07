using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Support;

/// <summary>
/// Passes every event on to the window's printer, but stops the connection's read thread at the first event
/// <see cref="HoldAt"/> picks until <see cref="Release"/>: what the server sent next (the login's rooms, a join's
/// history) waits in the socket, so a test can type while the window has not shown it yet, deterministically, where
/// a slow network or a busy machine only sometimes lets a user (or a pipe) be that early.
/// </summary>
internal sealed class HeldNetworkListener(ISessionListener inner) : ISessionListener, IAsyncDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>The event to stop at: "RoomJoined" (a room state, e.g. the login's) or "Replayed" (a History-flagged message), with its room.</summary>
    public Func<string, string, bool> HoldAt { get; set; } = (_, _) => false;

    /// <summary>Completes once the read thread is held.</summary>
    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Releases the read thread: a test that failed before it let go still closes its window.</summary>
    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    private void Gate(string what, string room)
    {
        if (HoldAt(what, room) && Interlocked.Exchange(ref _held, 1) == 0)
        {
            _reached.TrySetResult();
            // Bounded, so a test that never releases fails on its own timeout instead of hanging the read thread.
            _released.Task.Wait(RecordingListener.Timeout);
        }
    }

    public void OnMessage(ChatMessage message)
    {
        if ((message.Flags & MessageMarks.History) != 0)
        {
            Gate("Replayed", message.Room);
        }

        inner.OnMessage(message);
    }

    public void OnRoomJoined(RoomState room)
    {
        Gate("RoomJoined", room.Name);
        inner.OnRoomJoined(room);
    }

    public void OnPresence(PresencePacket presence, bool joined) => inner.OnPresence(presence, joined);

    public void OnNotice(NoticePacket notice) => inner.OnNotice(notice);

    public void OnServerError(ErrorPacket error) => inner.OnServerError(error);

    public void OnStatus(string text, StatusLevel level) => inner.OnStatus(text, level);

    public void OnConnectionLost(FailureReport report) => inner.OnConnectionLost(report);

    public void OnReconnected(WelcomePacket welcome, IReadOnlyList<OnlineUser> online, IReadOnlyList<string> notBackYet) => inner.OnReconnected(welcome, online, notBackYet);

    public void OnBack(PresencePacket presence) => inner.OnBack(presence);

    public void OnOnline(PresencePacket presence, bool online) => inner.OnOnline(presence, online);

    public void OnOutOfSight(PresencePacket presence) => inner.OnOutOfSight(presence);

    public void OnRoomChanged(RoomState room) => inner.OnRoomChanged(room);

    public void OnMembersChanged(string room, IReadOnlyList<OnlineUser> users, bool joined, IReadOnlyList<MemberDeparture>? why) => inner.OnMembersChanged(room, users, joined, why);

    public void OnRoomLeft(string room, RoomLeftPacket left) => inner.OnRoomLeft(room, left);

    public void OnTopic(string room, TopicPacket topic) => inner.OnTopic(room, topic);

    public void OnAway(AwayPacket away, bool reply) => inner.OnAway(away, reply);

    public void OnInvited(string room, RoomRequestPacket invitation) => inner.OnInvited(room, invitation);

    public void OnReceipt(ReceiptPacket receipt) => inner.OnReceipt(receipt);

    public void OnHistoryEnded(string room, HistoryEndPacket end) => inner.OnHistoryEnded(room, end);

    public void OnReconnectCountdown(TimeSpan remaining, int attempt) => inner.OnReconnectCountdown(remaining, attempt);
}
