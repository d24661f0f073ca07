using System.Threading.Channels;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>
/// Messages on their way to the server, sent in order by one background loop. The loop paces itself to the
/// server's announced rate, and while the connection is down it holds the queue and sends it once logged in
/// again, so neither a pipe nor a paste nor typing during an outage loses a line. A message that was on the
/// wire when the connection dropped is flagged: it may or may not have arrived.
/// </summary>
internal sealed class Outbox : IAsyncDisposable
{
    // A RateLimited answer despite the pacing (another session of the same user shares nothing with ours, but a
    // server clock step can do it): wait and try again this many times before reporting the message as refused.
    private const int RateLimitedRetries = 5;

    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ChatSession _session;
    private readonly IChatOutput _output;
    private readonly MessageFormatter _formatter;
    private readonly RatePacer _pacer = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Outgoing> _waiting = new();

    // Waiting items already handed to the connection: at a stop they are "not confirmed", not "not sent". Saying "not
    // sent" of a message the server had (it removed the account before echoing) invited a resend and a duplicate
    // (a hostile-server audit). Under _lock.
    private readonly HashSet<Outgoing> _handedOver = new(ReferenceEqualityComparer.Instance);

    // Messages reported "not confirmed" (the connection dropped before their echo), until one shows up in a catch-up.
    // Bounded by what the user sent during outages. Under _lock.
    private readonly List<Outgoing> _unconfirmed = [];
    // Messages refused, or lost with the connection and not proven stored: what pipe mode names at exit and exits 9
    // for. One the catch-up later shows stored leaves it (Replayed). Under _lock.
    private readonly List<Outgoing> _undelivered = [];
    private TaskCompletionSource _empty = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    // How long a message may wait for its echo before the user is told it is slow, not lost.
    private readonly TimeSpan _slowConfirmation;

    // The message whose confirmation is overdue (the slow notice was shown), until it is answered: a line typed
    // meanwhile waits behind it, and showed nowhere for as long as the server stalled (a UX audit, 2026-12-06).
    // Under _lock.
    private Outgoing? _stalled;

    public Outbox(ChatSession session, IChatOutput output, MessageFormatter formatter, TimeSpan? slowConfirmation = null)
    {
        // 3 s, not 10: a sent line leaves the input and shows only with the server's confirmation, so for 10 s it was
        // nowhere on the screen, and the user was tempted to type it again (a client audit, F13). A LAN server confirms
        // in milliseconds; 3 s is already a stall.
        _slowConfirmation = slowConfirmation ?? TimeSpan.FromSeconds(3);
        _session = session;
        _output = output;
        _formatter = formatter;
        _empty.TrySetResult();
    }

    /// <summary>Messages the server did not accept, or that were lost with the connection and not proven stored since.</summary>
    public int Failures
    {
        get
        {
            lock (_lock)
            {
                return _undelivered.Count;
            }
        }
    }

    /// <summary>What <see cref="Failures"/> counts, one line each, to name at exit: a script needs to know which to send again.</summary>
    public IReadOnlyList<string> Undelivered()
    {
        lock (_lock)
        {
            return [.. _undelivered.Select(item => $"not delivered: \"{Preview(item.Text)}\"")];
        }
    }

    // The newest message id shown (ChatPrinter.NewestSeen): where a check of the server's history for a message lost
    // with the connection starts.
    private Func<ulong> _newestSeen = () => 0;

    /// <summary>Takes the printer's replayed messages of this user (<see cref="Replayed"/>) and the newest id it showed.</summary>
    public void Follow(ChatPrinter printer)
    {
        printer.OwnReplayed = Replayed;
        _newestSeen = () => printer.NewestSeen;
    }

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Queues a message: privately to <paramref name="to"/>, else to <paramref name="room"/> (v3; null = the default room).</summary>
    public void Enqueue(string? to, string text, string? room = null, bool action = false)
    {
        var item = new Outgoing(to, text, room, action);
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                _empty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _waiting.Add(item);
            _loop ??= Task.Run(SendLoopAsync);
        }

        Outgoing? stalled;
        lock (_lock)
        {
            stalled = _stalled;
        }

        if (!_session.IsConnected)
        {
            // Named: a line typed after a /join that failed offline went to the old room unannounced (a UX audit, 2026-12-06).
            _output.Status(_formatter.Status($"not connected: \"{Preview(text)}\" waits and is sent {Destination(item)} once the connection is back", StatusLevel.Warning));
        }
        else if (stalled is not null)
        {
            _output.Status(_formatter.Status($"waiting: \"{Preview(text)}\" is sent {Destination(item)} once the server confirms \"{Preview(stalled.Text)}\" (it is slow or stalled; nothing is lost)", StatusLevel.Warning));
        }

        _queue.Writer.TryWrite(item);
    }

    /// <summary>Completes when everything queued so far was sent (or refused).</summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _empty.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops sending; returns the lines for what was left: never sent, or sent and never confirmed.</summary>
    private int _disposed;

    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        lock (_lock)
        {
            return [.. _waiting.Select(item => _handedOver.Contains(item)
                ? $"not confirmed: \"{Preview(item.Text)}\" was sent, but the connection ended before the server confirmed it; it may not have been delivered"
                : $"not sent: \"{Preview(item.Text)}\"")];
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a second dispose (a window closed, then its owner's cleanup) threw ObjectDisposedException.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    await SendOneAsync(item).ConfigureAwait(false);
                    lock (_lock)
                    {
                        _waiting.Remove(item);
                        _handedOver.Remove(item);
                        if (_waiting.Count == 0)
                        {
                            _empty.TrySetResult();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Quitting: whatever is left is reported by StopAsync's caller.
        }
    }

    private async Task SendOneAsync(Outgoing item)
    {
        for (int refused = 0; ;)
        {
            if (!_session.IsConnected && !await _session.WaitConnectedAsync(_stop.Token).ConfigureAwait(false))
            {
                Fail(item, $"not sent: the connection is gone: \"{Preview(item.Text)}\"");
                return;
            }

            var wait = _pacer.Reserve(Environment.TickCount64, _session.MessageRatePerSecond, _session.MessageBurst, _session.LoginCount);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
            }

            // Every id seen so far is below this message's, once stored: where the history is checked after a drop.
            ulong since = _newestSeen();
            Task<ChatMessage> send;
            try
            {
                send = _session.SendAsync(item.To, item.Text, _stop.Token, item.Room, item.Action);
            }
            catch (ChatClientException)
            {
                // Dropped just now, before this message left: it waits for the reconnect like the rest.
                continue;
            }

            lock (_lock)
            {
                _handedOver.Add(item);
            }

            try
            {
                // The server's echo arrives through MessageReceived, which prints and archives it.
                try
                {
                    await SlowNoticeAsync(send, item).ConfigureAwait(false);
                    await send.ConfigureAwait(false);
                }
                finally
                {
                    lock (_lock)
                    {
                        _stalled = null;
                    }
                }

                return;
            }
            catch (ChatClientException ex) when (ex.Failure == ChatFailure.RateLimited && refused++ < RateLimitedRetries)
            {
                _pacer.Empty();
            }
            catch (ChatClientException ex) when (ex.Failure is ChatFailure.UnknownUser or ChatFailure.UserOffline or ChatFailure.RateLimited or ChatFailure.Rejected)
            {
                // The line quoted: a queued one may fail long after it was typed.
                Fail(item, $"{FailureText.ForSend(ex, item.To, inChat: true)}: \"{Preview(item.Text)}\". Up brings it back.");
                return;
            }
            catch (ChatClientException ex)
            {
                lock (_lock)
                {
                    _unconfirmed.Add(item);
                }

                _output.Status(_formatter.Status($"not confirmed: the connection dropped ({FailureText.Short(ex)}) before the server confirmed \"{Preview(item.Text)}\". " +
                    "Once reconnected, lantalk looks for it in the server's history and sends it again only if it is not there; the lines after it wait for that.", StatusLevel.Warning));
                switch (await StoredAsync(item, since).ConfigureAwait(false))
                {
                    case true:
                        return;
                    case false:
                        // Proven absent: sent now, before the lines typed after it, so the room reads them in order
                        // (they went out without it, and "Up brings it back" found another line: an outside client audit, F9).
                        _output.Status(_formatter.Status($"\"{Preview(item.Text)}\" was not delivered (the server's history does not have it): sending it again, before the lines after it", StatusLevel.Warning));
                        continue;
                    default:
                        Fail(item, $"\"{Preview(item.Text)}\" may not have been delivered, and the server's history cannot tell: it is not sent again (check before you send it again); the lines after it go on");
                        return;
                }
            }
        }
    }

    /// <summary>
    /// Whether a message lost with its connection was stored, once logged in again and the catch-up shown: true when
    /// the catch-up showed it (<see cref="Replayed"/>) or the history has it, false when the history proves it absent,
    /// null when nothing can tell (the session ended, a server without a store, too much history since).
    /// </summary>
    private async Task<bool?> StoredAsync(Outgoing item, ulong since)
    {
        while (await _session.WaitConnectedAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                // The catch-up first: it shows the message, and Replayed says "delivered after all" where it appears.
                await _session.LoginShownAsync(_stop.Token).ConfigureAwait(false);
                lock (_lock)
                {
                    if (!_unconfirmed.Contains(item))
                    {
                        return true;
                    }
                }

                bool? stored = await DeliveryCheck.StoredAsync(_session, item, since, _stop.Token).ConfigureAwait(false);
                if (stored == true)
                {
                    Delivered(item);
                }

                return stored;
            }
            catch (ChatClientException) when (!_session.IsConnected)
            {
                // Dropped again during the check: the next login checks again.
            }
            catch (ChatClientException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// A message the server has not confirmed after the slow-confirmation time (10 s) while the connection is up: the user
    /// is told it is on its way, not lost (chat waits for the echo as long as the connection lives).
    /// </summary>
    private async Task SlowNoticeAsync(Task send, Outgoing item)
    {
        // Cancelled once the send is answered, so a pipe of many lines leaves no timer running per line.
        using var answered = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var slow = Task.Delay(_slowConfirmation, answered.Token);
        bool late = await Task.WhenAny(send, slow).ConfigureAwait(false) == slow && slow.IsCompletedSuccessfully;
        await answered.CancelAsync().ConfigureAwait(false);
        if (late && !send.IsCompleted && _session.IsConnected)
        {
            int behind;
            lock (_lock)
            {
                _stalled = item;
                behind = _waiting.Count - 1;
            }

            string more = behind switch { <= 0 => string.Empty, 1 => " (1 more line waits behind it)", _ => $" ({behind} more lines wait behind it)" };
            _output.Status(_formatter.Status(
                $"still waiting for the server to confirm \"{Preview(item.Text)}\" ({_slowConfirmation.TotalSeconds:0} s){more}: it is slow or stalled, " +
                "not disconnected; do not send it again. lantalk keeps waiting, and says so if the connection drops.", StatusLevel.Warning));
        }
    }

    /// <summary>
    /// A message of this user replayed from history: when it is one reported "not confirmed", the server had stored it
    /// after all, and the user is told not to send it again. Resending as advised delivered it twice (an audit, 2026-12-06:
    /// a stalled server, the keep-alive gave up, the catch-up showed the message).
    /// </summary>
    public void Replayed(ChatMessage message)
    {
        Outgoing? found;
        lock (_lock)
        {
            found = _unconfirmed.FirstOrDefault(item => item.IsEchoedBy(message));
        }

        if (found is not null)
        {
            Delivered(found);
        }
    }

    /// <summary>
    /// A message lost with its connection turned out stored: no longer a failure. Pipe mode exited 9 "not delivered"
    /// for such a line, and a script that retries on 9 sent it twice (an outside client audit, F10).
    /// </summary>
    private void Delivered(Outgoing item)
    {
        lock (_lock)
        {
            if (!_unconfirmed.Remove(item))
            {
                return;
            }

            _undelivered.Remove(item);
        }

        _output.Status(_formatter.Status($"\"{Preview(item.Text)}\" was delivered after all (the server stored it; only its confirmation was lost): do not send it again", StatusLevel.Info));
    }

    private void Fail(Outgoing item, string text)
    {
        lock (_lock)
        {
            _undelivered.Add(item);
        }

        _output.Status(_formatter.Status(text, StatusLevel.Error));
    }

    /// <summary>Where a queued message goes: "to bob (privately)", "to #ops", "to the default room".</summary>
    private static string Destination(Outgoing item) =>
        item.To is { } to ? $"to {to} (privately)" : item.Room is { Length: > 0 } room ? $"to {RoomName.Display(room)}" : "to the default room";

    /// <summary>The first line, shortened: enough to recognise the message in a status line.</summary>
    public static string Preview(string text)
    {
        string first = text.Split('\n')[0].TrimEnd('\r');
        return first.Length > 60 ? first[..57] + "..." : first;
    }

    /// <summary>One message on its way: to is null for a room (<paramref name="Room"/>; null = the default room).</summary>
    internal sealed record Outgoing(string? To, string Text, string? Room = null, bool Action = false)
    {
        /// <summary>Whether <paramref name="message"/> of this user is this one as the server stored it.</summary>
        public bool IsEchoedBy(ChatMessage message) =>
            message.Text == Text && Action == (message.Kind == LanTalk.Core.Packets.ChatMessageKind.Action)
            && (To is { } to ? string.Equals(to, message.To, StringComparison.OrdinalIgnoreCase)
                : message.To is null && (Room is not { Length: > 0 } room || string.Equals(room, message.Room, StringComparison.OrdinalIgnoreCase)));
    }
}
