using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>Protocol v3: several sessions per user, rooms, and v2/v3 on one server (docs/design/protocol-v3.md).</summary>
internal static class MultiSessionChecks
{
    public static IEnumerable<Check> All =>
    [
        new("v3-hello", "ClientHello v3 is accepted and Welcome counts the user's sessions", V3HelloAsync),
        new("sessions-mirror", "a message from one session reaches the user's other v3 session flagged Mirror, with the sender's session id", MirrorAsync),
        new("sessions-private-to-all", "a private message reaches every session of the recipient", PrivateToAllAsync),
        new("sessions-too-many", "one session beyond MaxSessionsPerUser gets TooManySessions (v3) or AlreadyLoggedIn (v2), and the connection stays", TooManyAsync, Hostile: true),
        new("rooms-members-only", "a room message reaches its members and no one else; a v2 session sees the default room only, with an empty target", RoomsAsync),
        new("rooms-v3-from-v2", "a v3 command from a v2 session is a ProtocolViolation that closes it", V3FromV2Async, Hostile: true),
    ];

    private static async Task V3HelloAsync(CheckContext c)
    {
        string user = c.NextUser();
        var a = await c.ClientAsync(user, version: 3);
        var b = await c.ClientAsync(user, version: 3);
        try
        {
            Expect(a.SessionId != b.SessionId, "two sessions share a session id");
            Expect(b.Rooms.Count > 0 || (await b.ListRoomsAsync()).Count > 0, "a v3 session knows no room at all");
        }
        finally
        {
            await CloseAsync(b);
            await CloseAsync(a);
        }
    }

    private static async Task MirrorAsync(CheckContext c)
    {
        string user = c.NextUser();
        var a = await c.ClientAsync(user, version: 3);
        var b = await c.ClientAsync(user, version: 3);
        try
        {
            var mirrored = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            string text = $"mirror {Guid.NewGuid():N}";
            b.MessageReceived += (_, m) =>
            {
                if (m.Text == text)
                {
                    mirrored.TrySetResult(m);
                }
            };
            var echo = await a.SendRoomAsync(string.Empty, text);
            var copy = await mirrored.Task.WaitAsync(c.ReplyTimeout);
            Expect(copy.Flags.HasFlag(MessageMarks.Mirror), $"the other session's copy is not flagged Mirror ({copy.Flags})");
            Expect(copy.OriginSessionId == a.SessionId && copy.Tag == echo.Tag, "the mirror does not name the sending session and its tag");
            Expect(!echo.Flags.HasFlag(MessageMarks.Mirror), "the sender's own echo is flagged Mirror");
        }
        finally
        {
            await CloseAsync(b);
            await CloseAsync(a);
        }
    }

    private static async Task PrivateToAllAsync(CheckContext c)
    {
        string to = c.NextUser();
        string from = c.NextUser();
        var r1 = await c.ClientAsync(to, version: 3);
        var r2 = await c.ClientAsync(to);
        var sender = await c.ClientAsync(from, version: 3);
        try
        {
            string text = $"to all {Guid.NewGuid():N}";
            var one = Received(r1, text);
            var two = Received(r2, text);
            await sender.SendPrivateAsync(to, text);
            await Task.WhenAll(one, two).WaitAsync(c.ReplyTimeout);
        }
        finally
        {
            await CloseAsync(sender);
            await CloseAsync(r2);
            await CloseAsync(r1);
        }
    }

    private static async Task TooManyAsync(CheckContext c)
    {
        await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string> { ["MaxSessionsPerUser"] = "1" }, async own =>
        {
            string user = own.NextUser();
            var first = await own.ClientAsync(user, version: 3);
            try
            {
                foreach (ushort version in new ushort[] { 3, 2 })
                {
                    await using var extra = new ChatClient(own.ClientOptions with { Version = version });
                    await extra.ConnectAsync(own.Target.Host, own.Target.Port);
                    try
                    {
                        await extra.LoginAsync(user, own.Password);
                        throw new CheckFailedException($"a second v{version} session was admitted with MaxSessionsPerUser 1");
                    }
                    catch (ChatClientException ex)
                    {
                        var expected = version == 3 ? ErrorCode.TooManySessions : ErrorCode.AlreadyLoggedIn;
                        Expect(ex.Code == expected, $"v{version}: expected {expected}, got {ex.Code}: {ex.Message}");
                        Expect(extra.IsConnected, $"{expected} closed the connection");
                    }
                }
            }
            finally
            {
                await CloseAsync(first);
            }
        });
    }

    private static async Task RoomsAsync(CheckContext c)
    {
        var member = await c.ClientAsync(c.NextUser(), version: 3);
        var other = await c.ClientAsync(c.NextUser(), version: 3);
        var old = await c.ClientAsync(c.NextUser());
        try
        {
            string room = $"conf{Guid.NewGuid():N}"[..20];
            await member.JoinRoomAsync(room);
            string secret = $"room {Guid.NewGuid():N}";
            string open = $"lobby {Guid.NewGuid():N}";
            var seenSecret = new List<string>();
            other.MessageReceived += (_, m) => { lock (seenSecret) { seenSecret.Add(m.Text); } };
            old.MessageReceived += (_, m) => { lock (seenSecret) { seenSecret.Add(m.Text); } };
            var atOld = Received(old, open);
            await member.SendRoomAsync(room, secret);
            await member.SendRoomAsync(string.Empty, open);
            var copy = await atOld.WaitAsync(c.ReplyTimeout);
            Expect(copy.Room.Length == 0, $"the v2 session got a default-room message with target '{copy.Room}'");
            lock (seenSecret)
            {
                Expect(!seenSecret.Contains(secret), "a message of a room reached a session that is not in it");
            }

            await member.LeaveRoomAsync(room);
        }
        finally
        {
            await CloseAsync(old);
            await CloseAsync(other);
            await CloseAsync(member);
        }
    }

    private static async Task V3FromV2Async(CheckContext c)
    {
        var (peer, _) = await c.RawLoggedInAsync();
        await using var p = peer;
        await peer.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(1), "conformance");
        await c.ExpectErrorAsync(peer, ErrorCode.ProtocolViolation, closes: true, "JoinRoom from a v2 session");
    }

    private static Task<ChatMessage> Received(ChatClient client, string text)
    {
        var seen = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.MessageReceived += (_, m) =>
        {
            if (m.Text == text)
            {
                seen.TrySetResult(m);
            }
        };
        return seen.Task;
    }
}
