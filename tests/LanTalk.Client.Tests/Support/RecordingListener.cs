using System.Collections.Concurrent;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Support;

/// <summary>Records session events and lets tests wait for one with a timeout, instead of sleeping.</summary>
internal sealed class RecordingListener : ISessionListener
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = new();

    public ConcurrentQueue<ChatMessage> Messages { get; } = new();

    public ConcurrentQueue<string> Presence { get; } = new();

    public ConcurrentQueue<string> Statuses { get; } = new();

    public int Reconnects { get; private set; }

    public void OnMessage(ChatMessage message) => Record(() => Messages.Enqueue(message));

    public void OnPresence(PresencePacket presence, bool joined) => Record(() => Presence.Enqueue($"{presence.UserName} {(joined ? "joined" : "left")}"));

    // v3 reports online and offline apart from room joins; for these tests both are presence.
    public void OnOnline(PresencePacket presence, bool online) => OnPresence(presence, online);

    public void OnNotice(NoticePacket notice) => Record(() => Statuses.Enqueue("notice: " + notice.Text));

    public void OnServerError(ErrorPacket error) => Record(() => Statuses.Enqueue("error: " + error.Text));

    public void OnStatus(string text, StatusLevel level) => Record(() => Statuses.Enqueue($"{level}: {text}"));

    public void OnConnectionLost(FailureReport report) => Record(() => Statuses.Enqueue($"{StatusLevel.Warning}: {report.Message}"));

    public void OnReconnected(WelcomePacket welcome, IReadOnlyList<OnlineUser> online, IReadOnlyList<string> notBackYet) => Record(() => Reconnects++);

    /// <summary>Completes when <paramref name="condition"/> holds, checked after every event; fails after the timeout.</summary>
    public async Task WaitFor(Func<bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition())
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out waiting for {what}; statuses: {string.Join(" | ", Statuses)}");
        }
    }

    private void Record(Action change)
    {
        lock (_lock)
        {
            change();
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Condition())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
