using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    /// <summary>
    /// Stops accepting, tells every client ServerDisconnected(ShuttingDown), and waits up to
    /// <paramref name="grace"/> for them to go before cutting the rest, so the process exits within 2 s.
    /// </summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener?.Dispose();
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync().ConfigureAwait(false);
        }

        StopPresence();
        int ircClosed = StopIrc();
        var sessions = _sessions.Values.ToArray();
        var notice = new ErrorPacket(ErrorCode.ShuttingDown, "the server is shutting down");
        foreach (var session in sessions)
        {
            session.Connection.Close(new DisconnectReason(DisconnectKind.Local, ErrorCode.ShuttingDown, "server shutting down"), notice, ChatCommand.ServerDisconnected);
        }

        var all = Task.WhenAll(sessions.Select(s => s.Connection.Completion));
        if (await Task.WhenAny(all, Task.Delay(grace ?? TimeSpan.FromSeconds(1.5))).ConfigureAwait(false) != all)
        {
            foreach (var session in sessions)
            {
                session.Connection.Abort(DisconnectReason.Local("shutdown grace period over"));
            }
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_ircAcceptLoops).ConfigureAwait(false);

        Users.UsersRemoved -= OnUsersRemoved;
        Users.StopWatching();
        // Every session, the IRC port's too: 1 ChatSocket and 3 IRC sessions were logged as "sessions closed: 1".
        s_log.Info("Stopped; sessions closed: {Count} ({Irc} of them IRC)", sessions.Length + ircClosed, ircClosed);
    }

    /// <summary>After <see cref="StopAsync"/>: null, or the room changes the final save of Rooms.xml could not write (logged as an ERROR).</summary>
    public string? RoomsNotSaved => Rooms.NotSavedAtStop;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
