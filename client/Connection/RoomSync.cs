using LanTalk.Client.Chat;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Connection;

/// <summary>
/// Keeps a v3 session's rooms in step with the server, which alone knows them: membership is per user and kept
/// on the server across logouts and restarts, and a v3 login puts the session in every room the user is in
/// (RoomInfo with Tag 0, docs/PROTOCOL.md "At login"). Each such room, and each room another session of ours joins,
/// gets a JoinRoom with SinceId = the newest id seen there, since the server replays only on an explicit JoinRoom:
/// a reconnect catches up on what was missed ("— missed while away —": the newest of it, see <see cref="CatchUp"/>),
/// a fresh start shows the recent history
/// ("— earlier —"), the newest of it when many rooms share the start's lines (<see cref="ReplayMarkers.TakeRecent"/>). No room is ever joined because this client was in it before: that would undo a leave, a kick or
/// a deletion that happened on another device or while this client was away. A room this process was in that the
/// new login did not list is dropped with a note instead.
/// </summary>
internal sealed class RoomSync(RoomBook rooms, ReplayMarkers markers, Action<string> report)
{
    private readonly Lock _lock = new();
    private ChatClient? _client;
    private HashSet<string> _requested = new(StringComparer.OrdinalIgnoreCase);

    // True once a join of this connection was answered: the server queues the login's room states before it answers
    // any request, so a room state (Tag 0) of a room not requested yet that comes after is a join made on another
    // device of the user. Guarded by _lock, per connection.
    private bool _settled;

    // Completes once this connection's room list is complete: a request sent after the login was answered, and the
    // server queues the login's room states before it answers any (docs/PROTOCOL.md, "At login"). Before the first
    // login there is nothing to wait for. Guarded by _lock, per connection.
    private TaskCompletionSource _listed = Listed(done: true);

    /// <summary>Tells the user of what needs no action (a room joined on another device); null: not told.</summary>
    public Action<string>? Notice { get; init; }

    /// <summary>Whether the current connection's room list is complete (false before the first login, and while a login's list is awaited).</summary>
    public bool IsListed
    {
        get
        {
            lock (_lock)
            {
                return _client is not null && _listed.Task.IsCompletedSuccessfully;
            }
        }
    }

    public void OnLoggedIn(ChatClient client, bool first)
    {
        var listed = Track(client);
        if (!client.IsV3)
        {
            // No rooms: nothing to wait for.
            listed.TrySetResult();
            return;
        }

        // The rooms of the connection before (a first login has none to compare: the server's list is all there is);
        // the login's own RoomInfos may already have been added back.
        _ = ListAsync(client, listed, first ? [] : rooms.Rooms);
    }

    /// <summary>
    /// The server queues the login's room states under its room lock before it handles any request of the new
    /// session, so the answer to a WhoIs sent now comes after all of them: by then every room of the login has its
    /// join requested (<see cref="OnRoomJoined"/>), and a room of <paramref name="before"/> the login did not list
    /// is one the user left elsewhere, was kicked from or saw deleted while this client was away.
    /// </summary>
    private async Task ListAsync(ChatClient client, TaskCompletionSource listed, IReadOnlyList<string> before)
    {
        try
        {
            await client.WhoIsAsync(client.UserName ?? string.Empty).ConfigureAwait(false);
        }
        catch (ChatClientException)
        {
            // The connection dropped (or the answer was an error): the next login compares again.
            listed.TrySetResult();
            return;
        }

        var listedRooms = client.Rooms.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (string room in before)
        {
            if (!listedRooms.Contains(room) && rooms.Contains(room))
            {
                // A catch-up awaited from the connection before never comes: nothing may wait for it.
                markers.Cancel(room);
                bool wasCurrent = string.Equals(rooms.Current, room, StringComparison.OrdinalIgnoreCase);
                // Not chosen here: the next line typed for it is held, as after a live kick (RoomBook.TakeMovedFrom).
                rooms.Left(room);
                string now = wasCurrent && rooms.Current is { } current ? $"; now in {RoomName.Display(current)}" : string.Empty;
                report($"you are no longer in {RoomName.Display(room)}: you left it elsewhere, were kicked, or it was deleted while lantalk was away{now}");
            }
        }

        listed.TrySetResult();
    }

    public void OnRoomJoined(ChatClient client, RoomState room)
    {
        if (room.Info.Tag == 0)
        {
            Request(client, room.Name);
        }
    }

    /// <summary>
    /// Completes once the rooms of the current login are all known and each one's history (a fresh start's
    /// "— earlier —", a reconnect's catch-up) is shown, or the connection is lost meanwhile: what reads a room's
    /// oldest or newest id shown (/history, PageUp, a /join's resync) or needs to know the rooms (pipe mode's lines)
    /// waits for it. Asked in the first second, /history paged back from the newest message and printed the join's
    /// history twice (an outside client audit, 2026-12-06).
    /// </summary>
    public async Task LoginShownAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ChatClient? client;
            Task listed;
            lock (_lock)
            {
                client = _client;
                listed = _listed.Task;
            }

            if (client is null)
            {
                return;
            }

            var lost = client.Completion;
            await Task.WhenAny(listed, lost).WaitAsync(cancellationToken).ConfigureAwait(false);
            string[] requested;
            lock (_lock)
            {
                requested = [.. _requested];
            }

            foreach (string room in requested)
            {
                await Task.WhenAny(markers.WhenShownAsync(room), lost).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            lock (_lock)
            {
                // A new connection meanwhile has a login of its own to wait for; a lost one without a new one has
                // nothing more coming: the command runs and finds the session offline.
                if (ReferenceEquals(client, _client))
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Completes once <paramref name="room"/>'s replay (a join's history, a catch-up) is shown, or the connection is
    /// lost meanwhile: a /join made elsewhere or here replays while PageUp may already be pressed.
    /// </summary>
    public async Task RoomShownAsync(string room, CancellationToken cancellationToken)
    {
        ChatClient? client;
        lock (_lock)
        {
            client = _client;
        }

        var shown = markers.WhenShownAsync(room);
        await (client is null ? shown : Task.WhenAny(shown, client.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static TaskCompletionSource Listed(bool done = false)
    {
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (done)
        {
            listed.SetResult();
        }

        return listed;
    }

    /// <summary>The connection's room-list signal; a new connection starts afresh: every room needs its join again.</summary>
    private TaskCompletionSource Track(ChatClient client)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(client, _client))
            {
                _client = client;
                _requested = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _settled = false;
                _listed = Listed();
            }

            return _listed;
        }
    }

    private void Request(ChatClient client, string room)
    {
        bool elsewhere;
        Track(client);
        lock (_lock)
        {
            if (!_requested.Add(room))
            {
                return;
            }

            elsewhere = _settled;
        }

        if (elsewhere)
        {
            // A /part elsewhere was told (RoomLeft); a /join elsewhere only made the room appear (a history audit).
            Notice?.Invoke($"you joined {RoomName.Display(room)} on another device; /go {room} to write there");
        }

        ulong? since = rooms.CatchUpFrom(room);
        // The login's rooms share the start's budget of lines (ReplayMarkers.TakeRecent); one joined elsewhere is
        // joined alone and shows its recent history whole, as a /join does.
        markers.Expect(room, catchUp: since is not null, shared: !elsewhere);
        _ = JoinAsync(client, room, since);
    }

    private void Settle(ChatClient client)
    {
        lock (_lock)
        {
            if (ReferenceEquals(client, _client))
            {
                _settled = true;
            }
        }
    }

    private async Task JoinAsync(ChatClient client, string room, ulong? since)
    {
        try
        {
            // A resync, never a join: sent for a room this user is in, it may arrive after a /part on another device,
            // and as a plain JoinRoom it joined the user again (CI, 2026-12-07). A server without the bit ignores it,
            // so it is sent only where ServerHello announces it.
            var resync = client.ServerHello is { } hello && (hello.Features & ServerFeatures.Resync) != 0 ? RoomModes.Resync : RoomModes.None;
            await RoomJoinFlow.RunAsync(room, since, rooms, markers,
                from => from is { } id ? client.CatchUpRoomAsync(room, id, resync) : client.JoinRoomWithReplayAsync(room, resync),
                (name, after, before, limit) => client.HistoryAsync(HistoryScope.Room, name, after, before, (ushort)limit),
                () => client.IsConnected, () => Settle(client)).ConfigureAwait(false);
        }
        catch (ChatClientException ex) when (client.IsConnected)
        {
            // The room went (deleted, we were kicked, or a /part from any window) between the server's RoomInfo and our
            // resync. Its RoomLeft was shown already; only a failure for a room we are still in is news.
            markers.Cancel(room);
            if (client.Rooms.Any(r => string.Equals(r.Name, room, StringComparison.OrdinalIgnoreCase)))
            {
                report($"cannot catch up on {RoomName.Display(room)}: {ex.Message}");
            }
        }
        catch (ChatClientException)
        {
            // The connection dropped: the next login joins again.
        }
    }
}
