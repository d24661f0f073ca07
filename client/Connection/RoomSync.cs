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
/// ("— earlier —"). No room is ever joined because this client was in it before: that would undo a leave, a kick or
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

    /// <summary>Tells the user of what needs no action (a room joined on another device); null: not told.</summary>
    public Action<string>? Notice { get; init; }

    public void OnLoggedIn(ChatClient client, bool first)
    {
        if (!client.IsV3 || first)
        {
            // A first login has no earlier rooms to compare: the server's list is all there is.
            return;
        }

        // The rooms of the connection before; the login's own RoomInfos may already have been added back.
        var before = rooms.Rooms;
        if (before.Count > 0)
        {
            _ = DropRoomsNoLongerListedAsync(client, before);
        }
    }

    /// <summary>
    /// The server queues the login's room states under its room lock before it handles any request of the new
    /// session, so the answer to a WhoIs sent now comes after all of them: by then a room the login did not list
    /// is one the user left elsewhere, was kicked from or saw deleted while this client was away.
    /// </summary>
    private async Task DropRoomsNoLongerListedAsync(ChatClient client, IReadOnlyList<string> before)
    {
        try
        {
            await client.WhoIsAsync(client.UserName ?? string.Empty).ConfigureAwait(false);
        }
        catch (ChatClientException)
        {
            // The connection dropped (or the answer was an error): the next login compares again.
            return;
        }

        var listed = client.Rooms.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (string room in before)
        {
            if (!listed.Contains(room) && rooms.Contains(room))
            {
                bool wasCurrent = string.Equals(rooms.Current, room, StringComparison.OrdinalIgnoreCase);
                // Not chosen here: the next line typed for it is held, as after a live kick (RoomBook.TakeMovedFrom).
                rooms.Left(room);
                string now = wasCurrent && rooms.Current is { } current ? $"; now in {RoomName.Display(current)}" : string.Empty;
                report($"you are no longer in {RoomName.Display(room)}: you left it elsewhere, were kicked, or it was deleted while lantalk was away{now}");
            }
        }
    }

    public void OnRoomJoined(ChatClient client, RoomState room)
    {
        if (room.Info.Tag == 0)
        {
            Request(client, room.Name);
        }
    }

    private void Request(ChatClient client, string room)
    {
        bool elsewhere;
        lock (_lock)
        {
            // A new connection: every room needs its join again.
            if (!ReferenceEquals(client, _client))
            {
                _client = client;
                _requested = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _settled = false;
            }

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
        markers.Expect(room, catchUp: since is not null);
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
            await RoomJoinFlow.RunAsync(room, since, rooms, markers,
                from => from is { } id ? client.CatchUpRoomAsync(room, id) : client.JoinRoomWithReplayAsync(room),
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
