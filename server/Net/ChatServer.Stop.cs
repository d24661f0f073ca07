using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    /// <summary>How long a stop waits for clients to take their ShuttingDown frame and go.</summary>
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Stops accepting, tells every client ServerDisconnected(ShuttingDown), and waits up to
    /// <paramref name="grace"/> (default <see cref="DefaultStopGrace"/>) for them to go before cutting the rest, so
    /// the process exits within 2 s.
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

        // A client that reads has its last frame within milliseconds; the grace only waits for stalled ones. One
        // second leaves the other second of the 2 s promise to the rest of the stop: 1.5 s once left too little for a
        // loaded CI machine (2.09 s in all).
        var all = Task.WhenAll(sessions.Select(s => s.Connection.Completion));
        if (await Task.WhenAny(all, Task.Delay(grace ?? DefaultStopGrace)).ConfigureAwait(false) != all)
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
        Users.UsersCreated -= OnUsersCreated;
        // The store closes with the server; accounts created afterwards (the same UserStore in tests) are not dated by it.
        Users.CreatedAfterHistory = null;
        Users.StopWatching();
        HashWork.Dispose();
        // Every session, the IRC port's too: 1 ChatSocket and 3 IRC sessions were logged as "sessions closed: 1".
        s_log.Info("Stopped; sessions closed: {Count} ({Irc} of them IRC)", sessions.Length + ircClosed, ircClosed);
    }

    /// <summary>After <see cref="StopAsync"/>: null, or the room changes the final save of Rooms.xml could not write (logged as an ERROR).</summary>
    public string? RoomsNotSaved => Rooms.NotSavedAtStop;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
