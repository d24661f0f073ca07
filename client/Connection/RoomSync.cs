using LanTalk.Client.Chat;
using LanTalk.Core.Client;

namespace LanTalk.Client.Connection;

/// <summary>
/// Keeps a v3 session's rooms in step across logins. At each login it joins the rooms this process was in (and,
/// the first time, the rooms Settings.xml remembers for this user and server that still exist), each with SinceId = the newest id seen there, so a reconnect
/// replays exactly what was missed ("— missed while away —") and a fresh start the recent history ("— earlier —").
/// A room the server puts us in by itself (RoomInfo with Tag 0: at login, or another session of ours joined) gets
/// the same join, since the server replays only on an explicit JoinRoom (docs/design/protocol-v3.md, login order).
/// </summary>
internal sealed class RoomSync(RoomBook rooms, ReplayMarkers markers, IReadOnlyList<string> remembered, Action<string> report)
{
    private readonly Lock _lock = new();
    private HashSet<string> _requested = new(StringComparer.OrdinalIgnoreCase);

    public void OnLoggedIn(ChatClient client, bool first)
    {
        if (!client.IsV3)
        {
            return;
        }

        lock (_lock)
        {
            // A new connection: every room needs its join again.
            _requested = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        foreach (string room in rooms.Rooms)
        {
            Request(client, room, remembered: false);
        }

        if (first && remembered.Count > 0)
        {
            _ = RejoinRememberedAsync(client);
        }
    }

    /// <summary>
    /// JoinRoom creates a room that does not exist (PROTOCOL.md, JoinRoom; there is no join-only flag), so a
    /// remembered room is joined only when ListRooms shows it: one deleted meanwhile is reported and forgotten, not
    /// created again. The rooms the user is still in arrive by themselves at login (RoomInfo, Tag 0).
    /// </summary>
    private async Task RejoinRememberedAsync(ChatClient client)
    {
        IReadOnlyList<Core.Packets.RoomSummary> listed;
        try
        {
            listed = await client.ListRoomsAsync().ConfigureAwait(false);
        }
        catch (ChatClientException)
        {
            // The connection dropped: this process's own rooms are rejoined at the next login.
            return;
        }

        foreach (string room in remembered)
        {
            if (rooms.Contains(room))
            {
                continue;
            }

            string? match = listed.Select(r => r.Name).FirstOrDefault(name => string.Equals(name, room, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                report($"{RoomName.Display(room)} no longer exists (or is closed to you): not rejoined, and forgotten");
                continue;
            }

            Request(client, match, remembered: true);
        }
    }

    public void OnRoomJoined(ChatClient client, RoomState room)
    {
        if (room.Info.Tag == 0)
        {
            Request(client, room.Name, remembered: false);
        }
    }

    private void Request(ChatClient client, string room, bool remembered)
    {
        lock (_lock)
        {
            if (!_requested.Add(room))
            {
                return;
            }
        }

        ulong since = rooms.Newest(room);
        markers.Expect(room, catchUp: since > 0);
        _ = JoinAsync(client, room, since, remembered);
    }

    private async Task JoinAsync(ChatClient client, string room, ulong since, bool remembered)
    {
        try
        {
            await client.JoinRoomAsync(room, sinceId: since).ConfigureAwait(false);
        }
        catch (ChatClientException ex) when (client.IsConnected)
        {
            markers.Cancel(room);
            // A remembered room that was deleted or closed to us meanwhile: say so once and forget it.
            report($"cannot rejoin {RoomName.Display(room)}: {ex.Message}");
            if (remembered || !rooms.Contains(room))
            {
                rooms.Left(room);
            }
        }
        catch (ChatClientException)
        {
            // The connection dropped: the next login joins again.
        }
    }
}
