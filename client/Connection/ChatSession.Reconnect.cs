using LanTalk.Client.App;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Transport;

namespace LanTalk.Client.Connection;

internal sealed partial class ChatSession
{
    // The wait between tries; /reconnect cancels it. Guarded by _lock.
    private CancellationTokenSource? _retryWait;

    /// <summary>How long after a reconnect a user who was online before the loss comes back without a line.</summary>
    private static readonly TimeSpan s_returnQuiet = TimeSpan.FromSeconds(60);

    // Who was online when the connection was lost, and until when (Environment.TickCount64) their return is quiet:
    // after a server restart everyone reconnects within seconds. Guarded by _lock.
    private HashSet<string>? _onlineAtLoss;
    private long _returnQuietUntil;

    // Of those, the ones the reconnect's online line named "not back yet": their return is told as "is back". Kept
    // quiet, a user who reconnected after this window was never announced, and its online line lied until /who (a
    // usability audit, 2026-12-06). Guarded by _lock.
    private HashSet<string>? _notBackYet;

    /// <summary>
    /// How long a "went offline" waits, in the quiet minute after a reconnect, for a user the reconnect's online line
    /// listed: after a server paused for a minute (a VM suspended, kill -STOP), every client reconnects at once, the
    /// server closes the old sessions only as it resumes, and every window printed "* bob went offline" then "* bob is
    /// online" for everyone (a UX audit, 2026-12-07). Enough for a client to reconnect and log in on a busy LAN server.
    /// </summary>
    internal static readonly TimeSpan ReturnHold = TimeSpan.FromSeconds(5);

    // The "went offline" being held (ReturnHold), by user, each with the object that marks its hold. Guarded by _lock.
    private Dictionary<string, object>? _heldOffline;

    /// <summary>
    /// Once for a user who was online when the connection was lost and comes back soon after the reconnect: Quiet
    /// when the reconnect's online line listed them already, Back when it named them "not back yet". Going offline
    /// (<paramref name="online"/> false) after the online line listed them is held (Hold: the old session closing late);
    /// otherwise one seen going offline is no longer awaited: "went offline" then nothing would leave them offline on
    /// this screen.
    /// </summary>
    private ReturnAfterLoss BackFromTheSameLoss(string user, bool online)
    {
        lock (_lock)
        {
            // Back (or gone again) while a "went offline" was held: that one is not told (HoldOffline).
            _heldOffline?.Remove(user);
            if (_onlineAtLoss is not { } before)
            {
                return ReturnAfterLoss.None;
            }

            if (Environment.TickCount64 >= _returnQuietUntil)
            {
                // The quiet minute is over: every later presence event skips this lock's set entirely.
                _onlineAtLoss = null;
                _notBackYet = null;
                return ReturnAfterLoss.None;
            }

            if (!online && _notBackYet is not null && before.Contains(user) && !_notBackYet.Contains(user))
            {
                // Listed online at the reconnect (_notBackYet is set once its online line is out), gone now.
                (_heldOffline ??= new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase))[user] = new object();
                return ReturnAfterLoss.Hold;
            }

            bool awaited = _notBackYet?.Remove(user) == true;
            return !before.Remove(user) || !online ? ReturnAfterLoss.None : awaited ? ReturnAfterLoss.Back : ReturnAfterLoss.Quiet;
        }
    }

    /// <summary>Tells <paramref name="presence"/> (gone offline) after <see cref="ReturnHold"/>, unless they came back meanwhile or the connection changed.</summary>
    private void HoldOffline(ChatClient client, PresencePacket presence)
    {
        object hold;
        lock (_lock)
        {
            hold = _heldOffline![presence.UserName];
        }

        _ = Task.Delay(ReturnHold).ContinueWith(
            _ =>
            {
                lock (_lock)
                {
                    if (_heldOffline?.GetValueOrDefault(presence.UserName) != hold || !ReferenceEquals(_client, client))
                    {
                        return;
                    }

                    _heldOffline.Remove(presence.UserName);
                    _onlineAtLoss?.Remove(presence.UserName);
                }

                Tell(client, presence, joined: false);
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    /// <summary>Who was online when the connection was lost and is not online at the reconnect (the user excepted), by name.</summary>
    private List<string> NotBackYet(ChatClient client)
    {
        var online = client.OnlineUsers.Select(u => u.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        lock (_lock)
        {
            var missing = (_onlineAtLoss ?? []).Where(u => !online.Contains(u) && !string.Equals(u, _userName, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.OrdinalIgnoreCase).ToList();
            _notBackYet = new HashSet<string>(missing, StringComparer.OrdinalIgnoreCase);
            return missing;
        }
    }

    /// <summary>Cuts the current wait short (/reconnect). False when no reconnect is waiting.</summary>
    public bool ReconnectNow()
    {
        lock (_lock)
        {
            if (_retryWait is null)
            {
                return false;
            }

            _retryWait.Cancel();
            return true;
        }
    }

    private void OnDisconnected(ChatClient client, DisconnectReason reason)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        lock (_lock)
        {
            // Only the current connection's end matters; a candidate that failed login is handled where it failed.
            if (!ReferenceEquals(client, _client))
            {
                return;
            }

            _client = null;
            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _onlineAtLoss = new HashSet<string>(client.OnlineUsers.Select(u => u.Name), StringComparer.OrdinalIgnoreCase);
            _returnQuietUntil = long.MaxValue;
        }

        var report = FailureText.ForDisconnect(reason, Server);
        if (!report.Retryable || !_policy.Retries)
        {
            TellEnd(report.Message);
            _ended.TrySetResult(report);
            _ = client.DisposeAsync().AsTask();
            return;
        }

        // Before the next login can show anything: the private catch-up starts from what was shown up to now.
        PrivateSync?.OnConnectionLost();
        AwaySync?.OnConnectionLost();
        _listener.OnConnectionLost(report);
        _ = Task.Run(() => ReconnectAsync(client, report));
    }

    private async Task ReconnectAsync(ChatClient old, FailureReport lastFailure)
    {
        // This runs after the old client's read loop has raised Disconnected, so disposing it cannot deadlock.
        await old.DisposeAsync().ConfigureAwait(false);
        string lastReason = lastFailure.Message;
        string of = _policy.MaxTries is { } limit ? $" of {limit}" : string.Empty;
        // One line per try at most: the failure of the last one, then when the next comes. Two lines each ("failed",
        // then "reconnecting") filled a window while a server restarted (a UX audit, 2026-12-05), and so did one line
        // per try (2026-12-06): now a try's line is printed when its failure differs from the last one printed, at
        // tries 2, 4, 8, ... and at the last; the prompt counts down to every try meanwhile.
        bool restarting = lastFailure.ExitCode == ExitCode.ServerShutdown;
        string? failed = null;
        string? told = null;
        for (int attempt = 1; _policy.MaxTries is not { } max || attempt <= max; attempt++)
        {
            var delay = _policy.DelayBefore(attempt, Random.Shared.NextDouble(), restarting);
            if (failed is null)
            {
                _listener.OnStatus($"reconnecting to {Server} in {Seconds(delay)} (try {attempt}{of}; /reconnect tries now, /quit stops)...", StatusLevel.Info);
            }
            else if (failed != told || (attempt & (attempt - 1)) == 0 || attempt == _policy.MaxTries)
            {
                told = failed;
                _listener.OnStatus($"try {attempt - 1} failed: {failed}; reconnecting to {Server} in {Seconds(delay)} (try {attempt}{of})...", StatusLevel.Warning);
            }

            try
            {
                await WaitBeforeTryAsync(delay, attempt).ConfigureAwait(false);
                var (client, welcome) = await _connector.ConnectAndLoginAsync(_userName, _password, Attach, _stopping.Token).ConfigureAwait(false);
                if (_stopping.IsCancellationRequested)
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                    return;
                }

                lock (_lock)
                {
                    _returnQuietUntil = Environment.TickCount64 + (long)s_returnQuiet.TotalMilliseconds;
                }

                Adopt(client, welcome);
                _listener.OnReconnected(welcome, client.OnlineUsers, NotBackYet(client));
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ChatClientException ex)
            {
                lastFailure = FailureText.ForConnect(ex, Server, _userName);
                // Something else answering on the port (a program started in the server's place while it restarts) is
                // one more failed try here, where this server has worked: every client quit and lost what was typed
                // meanwhile, and the server came back seconds later (a regression audit, 2026-12-06). At the first
                // connect it stays an error (the port is probably wrong). A changed certificate still ends it.
                if (!lastFailure.Retryable && ex.Failure is not (ChatFailure.ProtocolError or ChatFailure.TlsFailed))
                {
                    // Line by line: the trust banner's lines showed joined by ␊ (a UX audit, 2026-12-06). FailureText
                    // has made every line safe; only its own line breaks are left.
                    foreach (string line in lastFailure.Message.Split('\n'))
                    {
                        TellEnd(line);
                    }

                    _ended.TrySetResult(lastFailure);
                    return;
                }

                lastReason = FailureText.Short(ex);
                // Said with the next try's line, or in the "gave up" line after the last.
                failed = lastReason;
            }
        }

        var gaveUp = new FailureReport(lastFailure.ExitCode == ExitCode.Ok ? ExitCode.Unreachable : lastFailure.ExitCode,
            $"gave up after {_policy.MaxTries} tries to reconnect to {Server}; the last one failed with: {lastReason}", false);
        TellEnd(gaveUp.Message);
        _ended.TrySetResult(gaveUp);
    }

    /// <summary>
    /// False where the caller reports the end itself (<see cref="Ended"/>) on the same stream as the session's status
    /// lines: pipe mode and TERM=dumb printed "!! you were kicked ..." and then "lantalk: you were kicked ..." on
    /// stderr, the same reason twice (a usability audit, 2026-12-06). The terminal says it only in the chat's window.
    /// </summary>
    public bool TellsEnd { get; set; } = true;

    private void TellEnd(string line)
    {
        if (TellsEnd)
        {
            _listener.OnStatus(line, StatusLevel.Error);
        }
    }

    /// <summary>Waits out the backoff in steps of a second, telling the listener what is left; /reconnect ends it early.</summary>
    private async Task WaitBeforeTryAsync(TimeSpan delay, int attempt)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        lock (_lock)
        {
            _retryWait = wait;
        }

        try
        {
            await ReconnectCountdown.WaitAsync(delay, left => _listener.OnReconnectCountdown(left, attempt), TimeProvider.System, wait.Token).ConfigureAwait(false);
            _stopping.Token.ThrowIfCancellationRequested();
            _listener.OnReconnectCountdown(TimeSpan.Zero, attempt);
        }
        finally
        {
            lock (_lock)
            {
                _retryWait = null;
            }
        }
    }

    private static string Seconds(TimeSpan delay) =>
        delay.TotalSeconds >= 1 ? $"{delay.TotalSeconds:0} s" : $"{delay.TotalMilliseconds:0} ms";
}
