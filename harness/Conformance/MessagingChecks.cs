using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>Logged-in behaviour: limits on names and texts, routing, presence and keep-alive.</summary>
internal static class MessagingChecks
{
    public static IEnumerable<Check> All =>
    [
        new("long-user-name", "a user name over MaxUserNameLength gets AuthFailed (or InvalidUserName), one over the wire limit a ProtocolViolation", LongUserNameAsync, Hostile: true),
        new("long-message", "a text over MaxMessageBytes gets MessageTooLong with its tag, and the connection stays usable", LongMessageAsync, Hostile: true),
        new("private-unknown-user", "a private message to a name nobody has gets UnknownUser with its tag (not closing)", PrivateUnknownAsync),
        new("private-offline-user", "a private message to an existing but offline user gets UserOffline with its tag", PrivateOfflineAsync),
        new("private-delivery", "a private message reaches only its recipient, and the sender gets the echo", PrivateDeliveryAsync),
        new("public-fanout", "4 clients each send one public message: everyone gets all 4, once each, in order per sender", FanOutAsync),
        new("presence", "others see UserConnected when a user logs in and UserDisconnected when it logs out", PresenceAsync),
        new("ping-pong", "Ping gets a Pong echoing the nonce, before and after login", PingPongAsync),
        new("idle-timeout", "a logged-in client that goes silent is dropped with IdleTimeout after the idle timeout", IdleTimeoutAsync, Hostile: true),
    ];

    private static async Task LongUserNameAsync(CheckContext c)
    {
        // A server may announce up to 128 characters; a name one longer than that no longer fits the 128-byte field,
        // which the second half checks.
        if (c.Settings.MaxUserNameLength < ProtocolLimits.NameFieldBytes)
        {
            await using var peer = await c.RawAsync();
            await peer.HelloAsync();
            var reply = await peer.LoginAsync(new string('a', c.Settings.MaxUserNameLength + 1), c.Password);
            Expect(reply.IsError(ErrorCode.AuthFailed) || reply.IsError(ErrorCode.InvalidUserName), $"name of {c.Settings.MaxUserNameLength + 1} chars: expected AuthFailed or InvalidUserName, got {reply}");
        }

        await using (var peer = await c.RawAsync())
        {
            await peer.HelloAsync();
            await peer.SendAsync(ChatCommand.RequestLogin, new LoginPacket(new string('b', 2000), c.Password));
            await c.ExpectErrorAsync(peer, ErrorCode.ProtocolViolation, closes: true, "2000-byte user name");
        }
    }

    private static async Task LongMessageAsync(CheckContext c)
    {
        var (peer, user) = await c.RawLoggedInAsync();
        await using (peer)
        {
            await peer.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(42, new string('x', c.Settings.MaxMessageBytes + 1)));
            var reply = await peer.ReadUntilAsync(r => r.Command is ChatCommand.Error or ChatCommand.ServerDisconnected or ChatCommand.PublicMessage, c.ReplyTimeout);
            Expect(reply.IsError(ErrorCode.MessageTooLong), $"text of {c.Settings.MaxMessageBytes + 1} bytes: expected MessageTooLong, got {reply}");
            Expect(reply.Error!.Tag == 42, $"MessageTooLong should carry the message's tag 42, carried {reply.Error.Tag}");
            await peer.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(43, "short one"));
            var echo = await peer.ReadUntilAsync(r => r.Command is ChatCommand.PublicMessage or ChatCommand.Error, c.ReplyTimeout);
            Expect(echo.Packet is ChatMessagePacket { Tag: 43 } m && m.From == user, $"after MessageTooLong a normal message should be echoed; got {echo}");
        }
    }

    private static async Task PrivateErrorAsync(CheckContext c, string to, ErrorCode code)
    {
        var (peer, _) = await c.RawLoggedInAsync();
        await using (peer)
        {
            await peer.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(77, "are you there?"), to);
            var reply = await peer.ReadUntilAsync(r => r.Command is ChatCommand.Error or ChatCommand.ServerDisconnected or ChatCommand.PrivateMessage, c.ReplyTimeout);
            Expect(reply.IsError(code), $"private message to '{to}': expected {code}, got {reply}");
            Expect(reply.Error!.Tag == 77, $"{code} should carry the message's tag 77, carried {reply.Error.Tag}");
            await peer.SendAsync(ChatCommand.Ping, new PingPacket(5));
            var pong = await peer.ReadUntilAsync(r => r.Command == ChatCommand.Pong, c.ReplyTimeout);
            Expect(pong.Kind == Infra.ReplyKind.Frame, $"{code} must not close the connection; got {pong}");
        }
    }

    private static Task PrivateUnknownAsync(CheckContext c) => PrivateErrorAsync(c, "nosuchuser" + Random.Shared.Next(100000), ErrorCode.UnknownUser);

    private static Task PrivateOfflineAsync(CheckContext c) => PrivateErrorAsync(c, c.NextUser(), ErrorCode.UserOffline);

    private static async Task PrivateDeliveryAsync(CheckContext c)
    {
        var a = await c.ClientAsync();
        var b = await c.ClientAsync();
        var bystander = await c.ClientAsync();
        try
        {
            var got = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            int leaked = 0;
            b.MessageReceived += (_, m) => got.TrySetResult(m);
            bystander.MessageReceived += (_, m) => Interlocked.Increment(ref leaked);
            var echo = await a.SendPrivateAsync(b.UserName!, "just for you");
            Expect(echo.IsPrivate && echo.To == b.UserName, $"the sender's echo should be private to {b.UserName}; got {echo}");
            var m = await got.Task.WaitAsync(c.ReplyTimeout);
            Expect(m.Text == "just for you" && m.From == a.UserName && m.IsPrivate, $"recipient got {m}");
            await bystander.SendPublicAsync("sync");
            Expect(Volatile.Read(ref leaked) == 1, $"a bystander received {Volatile.Read(ref leaked) - 1} private message(s) not meant for it");
        }
        finally
        {
            await CloseAsync(a);
            await CloseAsync(b);
            await CloseAsync(bystander);
        }
    }

    private static async Task FanOutAsync(CheckContext c)
    {
        var clients = new List<ChatClient>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                clients.Add(await c.ClientAsync());
            }

            var seen = clients.Select(_ => new List<string>()).ToArray();
            for (int i = 0; i < clients.Count; i++)
            {
                var list = seen[i];
                clients[i].MessageReceived += (_, m) =>
                {
                    lock (list)
                    {
                        list.Add($"{m.From}:{m.Text}");
                    }
                };
            }

            foreach (var client in clients)
            {
                for (int n = 0; n < 3; n++)
                {
                    client.PostMessage(null, $"fan-out {n}");
                }
            }

            var expected = clients.SelectMany(cl => Enumerable.Range(0, 3).Select(n => $"{cl.UserName}:fan-out {n}")).ToHashSet();
            var deadline = DateTime.UtcNow + c.ReplyTimeout;
            while (DateTime.UtcNow < deadline && seen.Any(s => { lock (s) { return s.Count < expected.Count; } }))
            {
                await Task.Delay(20);
            }

            for (int i = 0; i < clients.Count; i++)
            {
                List<string> got;
                lock (seen[i])
                {
                    got = [.. seen[i]];
                }

                Expect(got.Count == expected.Count && got.ToHashSet().SetEquals(expected), $"{clients[i].UserName} got {got.Count} messages, expected {expected.Count} distinct: [{string.Join(", ", got)}]");
                foreach (var sender in clients)
                {
                    var order = got.Where(g => g.StartsWith(sender.UserName + ":", StringComparison.Ordinal)).ToList();
                    Expect(order.SequenceEqual(order.Order(StringComparer.Ordinal)), $"{clients[i].UserName} got {sender.UserName}'s messages out of order: {string.Join(", ", order)}");
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await CloseAsync(client);
            }
        }
    }

    private static async Task PresenceAsync(CheckContext c)
    {
        var watcher = await c.ClientAsync();
        try
        {
            string user = c.NextUser();
            var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            watcher.UserJoined += (_, p) => { if (string.Equals(p.UserName, user, StringComparison.OrdinalIgnoreCase)) { joined.TrySetResult(); } };
            watcher.UserLeft += (_, p) => { if (string.Equals(p.UserName, user, StringComparison.OrdinalIgnoreCase)) { left.TrySetResult(); } };
            var other = await c.ClientAsync(user);
            try
            {
                await joined.Task.WaitAsync(c.ReplyTimeout);
            }
            catch (TimeoutException)
            {
                throw new CheckFailedException($"no UserConnected for {user} within {c.ReplyTimeout.TotalSeconds:0} s");
            }

            Expect(watcher.OnlineUsers.Any(u => string.Equals(u.Name, user, StringComparison.OrdinalIgnoreCase)), $"{user} joined but is not in the watcher's online list");
            await CloseAsync(other);
            try
            {
                await left.Task.WaitAsync(c.ReplyTimeout);
            }
            catch (TimeoutException)
            {
                throw new CheckFailedException($"no UserDisconnected for {user} within {c.ReplyTimeout.TotalSeconds:0} s of its logout");
            }
        }
        finally
        {
            await CloseAsync(watcher);
        }
    }

    private static async Task PingPongAsync(CheckContext c)
    {
        await using (var peer = await c.RawAsync())
        {
            await peer.HelloAsync();
            await peer.SendAsync(ChatCommand.Ping, new PingPacket(0xDEADBEEF));
            var pong = await peer.ReadUntilAsync(r => r.Command == ChatCommand.Pong, c.ReplyTimeout);
            Expect(pong.Packet is PingPacket { Nonce: 0xDEADBEEF }, $"before login: expected Pong 0xDEADBEEF, got {pong}");
        }

        var (loggedIn, _) = await c.RawLoggedInAsync();
        await using (loggedIn)
        {
            await loggedIn.SendAsync(ChatCommand.Ping, new PingPacket(12345));
            var pong = await loggedIn.ReadUntilAsync(r => r.Command == ChatCommand.Pong, c.ReplyTimeout);
            Expect(pong.Packet is PingPacket { Nonce: 12345 }, $"after login: expected Pong 12345, got {pong}");
        }
    }

    private static async Task IdleTimeoutAsync(CheckContext c)
    {
        var (peer, _) = await c.RawLoggedInAsync();
        await using (peer)
        {
            var started = DateTime.UtcNow;
            var within = TimeSpan.FromSeconds(c.Settings.IdleTimeoutSeconds + 3);
            var error = await ExpectClosedAsync(peer, within, $"silent logged-in client (idle timeout {c.Settings.IdleTimeoutSeconds} s)");
            double after = (DateTime.UtcNow - started).TotalSeconds;
            Expect(error?.Code == ErrorCode.IdleTimeout, $"expected Error IdleTimeout before the close, got {(error is null ? "no Error frame" : error.Code.ToString())}");
            Expect(after >= c.Settings.IdleTimeoutSeconds - 1, $"dropped after {after:0.0} s, before the {c.Settings.IdleTimeoutSeconds} s idle timeout");
        }
    }
}
