using LanTalk.Core.Client;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>Online status per room (docs/PROTOCOL.md, "Sessions"): a v3 session sees only users it shares a room with.</summary>
internal static class RoomPresenceChecks
{
    public static IEnumerable<Check> All =>
    [
        new("presence-shared-rooms", "a v3 session hears of users who share a room with it and of no one else; a v2 session hears of everyone", SharedRoomsAsync),
    ];

    private static async Task SharedRoomsAsync(CheckContext c)
    {
        string room = $"pres{Guid.NewGuid():N}"[..20];
        string apartName = c.NextUser(), oldName = c.NextUser(), lobbyName = c.NextUser(), joinerName = c.NextUser();
        var apart = await c.ClientAsync(apartName, version: 3);
        ChatClient? lobbyOnly = null, joiner = null, old = null;
        try
        {
            var lobby = await c.DefaultRoomAsync(apart);
            await apart.LeaveRoomAsync(lobby.Name);
            await apart.JoinRoomAsync(room);
            old = await c.ClientAsync(oldName, version: 2);
            lobbyOnly = await c.ClientAsync(lobbyName, version: 3);
            joiner = await c.ClientAsync(joinerName, version: 3);
            var seenByApart = Joined(apart, joinerName);
            var seenByLobby = Joined(lobbyOnly, joinerName);
            await joiner.JoinRoomAsync(room);
            await Task.WhenAll(seenByApart, seenByLobby).WaitAsync(c.ReplyTimeout);

            Expect(!Names(apart).Contains(lobbyName), $"{apartName}, in no room with {lobbyName}, lists them online");
            Expect(!Names(apart).Contains(oldName), $"{apartName}, in no room with the v2 user {oldName}, lists them online");
            Expect(!Names(lobbyOnly).Contains(apartName), $"{lobbyName}, in no room with {apartName}, lists them online");
            Expect(Names(old).Contains(apartName), $"the v2 session does not list {apartName}: a v2 session sees everyone online");
        }
        finally
        {
            foreach (var client in new[] { joiner, lobbyOnly, old })
            {
                if (client is not null)
                {
                    await CloseAsync(client);
                }
            }

            await CloseAsync(apart);
        }
    }

    private static HashSet<string> Names(ChatClient client) =>
        client.OnlineUsers.Select(u => u.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static Task Joined(ChatClient client, string user)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.UserJoined += (_, p) =>
        {
            if (string.Equals(p.UserName, user, StringComparison.OrdinalIgnoreCase))
            {
                seen.TrySetResult();
            }
        };

        if (Names(client).Contains(user))
        {
            seen.TrySetResult();
        }

        return seen.Task;
    }
}
