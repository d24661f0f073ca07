using LanTalk.Client.Chat;
using LanTalk.Core.Client;

namespace LanTalk.Client.Connection;

/// <summary>
/// Keeps a v3 session's rooms in step across logins. At each login it joins the rooms this process was in (and,
/// the first time, the rooms Settings.xml remembers), each with SinceId = the newest id seen there, so a reconnect
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

        var wanted = (first ? remembered.Concat(rooms.Rooms) : rooms.Rooms).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (string room in wanted)
        {
            Request(client, room, remembered: first && !rooms.Contains(room));
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
