using LanTalk.Client.App;
using LanTalk.Core.Client;
using LanTalk.Core.Transport;

namespace LanTalk.Client.Connection;

internal sealed partial class ChatSession
{
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
        }

        var report = FailureText.ForDisconnect(reason, Server);
        if (!report.Retryable || _policy.MaxTries == 0)
        {
            _listener.OnStatus(report.Message, StatusLevel.Error);
            _ended.TrySetResult(report);
            _ = client.DisposeAsync().AsTask();
            return;
        }

        _listener.OnConnectionLost(report);
        _ = Task.Run(() => ReconnectAsync(client, report));
    }

    private async Task ReconnectAsync(ChatClient old, FailureReport lastFailure)
    {
        // This runs after the old client's read loop has raised Disconnected, so disposing it cannot deadlock.
        await old.DisposeAsync().ConfigureAwait(false);
        string lastReason = lastFailure.Message;
        for (int attempt = 1; attempt <= _policy.MaxTries; attempt++)
        {
            var delay = _policy.Delays[attempt - 1];
            _listener.OnStatus($"reconnecting to {Server} in {Seconds(delay)} (try {attempt} of {_policy.MaxTries})...", StatusLevel.Info);
            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                var (client, welcome) = await _connector.ConnectAndLoginAsync(_userName, _password, Attach, _stopping.Token).ConfigureAwait(false);
                if (_stopping.IsCancellationRequested)
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                    return;
                }

                Adopt(client, welcome);
                _listener.OnReconnected(welcome, client.OnlineUsers);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ChatClientException ex)
            {
                lastFailure = FailureText.ForConnect(ex, Server, _userName);
                if (!lastFailure.Retryable)
                {
                    _listener.OnStatus(lastFailure.Message, StatusLevel.Error);
                    _ended.TrySetResult(lastFailure);
                    return;
                }

                lastReason = FailureText.Short(ex);
                _listener.OnStatus($"try {attempt} failed: {lastReason}", StatusLevel.Warning);
            }
        }

        var gaveUp = new FailureReport(lastFailure.ExitCode == ExitCode.Ok ? ExitCode.Unreachable : lastFailure.ExitCode,
            $"gave up after {_policy.MaxTries} tries to reconnect to {Server}; the last one failed with: {lastReason}", false);
        _listener.OnStatus(gaveUp.Message, StatusLevel.Error);
        _ended.TrySetResult(gaveUp);
    }

    private static string Seconds(TimeSpan delay) =>
        delay.TotalSeconds >= 1 ? $"{delay.TotalSeconds:0} s" : $"{delay.TotalMilliseconds:0} ms";
}
