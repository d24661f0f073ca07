using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>
/// Abuse limits: failed-login lockout, the message rate, connections per address and the pre-login budget. Each
/// starts its own server with small limits (the suite's server lifts them) and loopback aliases 127.0.0.2/3/4/5
/// stand in for other machines.
/// </summary>
internal static class ThrottleChecks
{
    private static readonly IPAddress s_otherAddress = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress s_floodAddress = IPAddress.Parse("127.0.0.3");

    public static IEnumerable<Check> All =>
    [
        new("login-lockout", "after LoginFailureLimit (3) failures even the right password gets RateLimited, far faster than one hash", LockoutAsync, NeedsSpawnedServer: true),
        new("message-rate-limit", "messages beyond the burst get RateLimited with their tag and the session lives; >100 in a row get ServerDisconnected", MessageRateAsync, NeedsSpawnedServer: true),
        new("per-address-limit", "with MaxConnectionsPerAddress 3, a 4th connection from 127.0.0.1 gets TooManyConnections; 127.0.0.2 still gets in", PerAddressAsync, NeedsSpawnedServer: true),
        new("prelogin-flood", "50 idle sockets from 127.0.0.3 against MaxPendingLogins 8: extras get TooManyConnections, a real user still logs in, a newcomer takes the biggest holder's oldest place", PreLoginFloodAsync, NeedsSpawnedServer: true),
    ];

    private static async Task LockoutAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string>
    {
        ["LoginFailureLimit"] = "3",
        ["LoginFailureWindowSeconds"] = "60",
        // Three production-cost hashes on one connection can take longer than the suite's 2 s on a busy machine.
        ["LoginTimeoutSeconds"] = "30",
    }, async s =>
    {
        // This account has the server's default PBKDF2 cost (600,000 iterations), so one password check is expensive.
        string user = s.Target.Users.ProductionUser ?? throw new HarnessException("no production-cost account was created");
        string password = s.Target.Users.ProductionPassword!;
        await using var peer = await s.RawAsync();
        await peer.HelloAsync();
        var hashed = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var (reply, ms) = await TimedLoginAsync(peer, user, "wrong-password");
            Expect(reply.IsError(ErrorCode.AuthFailed), $"failure {i + 1} of 3: expected AuthFailed, got {reply}");
            hashed.Add(ms);
        }

        // The penalty after the 3rd failure is 1 s; every refusal below happens well inside it.
        var (right, rightMs) = await TimedLoginAsync(peer, user, password);
        Expect(right.IsError(ErrorCode.RateLimited), $"the right password after 3 failures: expected RateLimited, got {right}");
        var (wrong, wrongMs) = await TimedLoginAsync(peer, user, "wrong-password");
        Expect(wrong.IsError(ErrorCode.RateLimited), $"a 4th wrong password: expected RateLimited, got {wrong}");
        var (otherUser, otherUserMs) = await TimedLoginAsync(peer, s.NextUser(), password);
        Expect(otherUser.IsError(ErrorCode.RateLimited), $"another account from the locked address: expected RateLimited, got {otherUser}");
        await using (var elsewhere = await s.RawAsync(localAddress: s_otherAddress))
        {
            await elsewhere.HelloAsync();
            var (named, _) = await TimedLoginAsync(elsewhere, user, password);
            Expect(named.IsError(ErrorCode.RateLimited), $"the locked name from 127.0.0.2: expected RateLimited, got {named}");
        }

        double hash = hashed.Min();
        double refused = new[] { rightMs, wrongMs, otherUserMs }.Max();
        Expect(refused < hash / 5, $"a refused attempt took {refused:0.0} ms, a hashed failure {hash:0.0} ms: the refusal does not skip hashing");
        s.Note($"hashed failure {hash:0} ms, refusal {refused:0.0} ms (x{hash / Math.Max(refused, 0.01):0})");

        // The lockout lapses: the refusals did not extend it, and the right password then works.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (true)
        {
            await Task.Delay(250);
            var (again, _) = await TimedLoginAsync(peer, user, password);
            if (again.Command == ChatCommand.UserAuthenticated)
            {
                break;
            }

            Expect(again.IsError(ErrorCode.RateLimited) && DateTime.UtcNow < deadline, $"after the 1 s penalty the right password should work; got {again}");
        }
    }, productionUser: true);

    private static async Task<(RawReply Reply, double Ms)> TimedLoginAsync(RawPeer peer, string user, string password)
    {
        var watch = Stopwatch.StartNew();
        var reply = await peer.LoginAsync(user, password);
        return (reply, watch.Elapsed.TotalMilliseconds);
    }

    private static async Task MessageRateAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string>
    {
        ["MessageRatePerSecond"] = "2",
        ["MessageBurst"] = "5",
    }, async s =>
    {
        var (peer, user) = await s.RawLoggedInAsync();
        await using (peer)
        {
            // Ten at once: the burst of 5 is relayed (echoed to us), the rest refused with their own tags.
            await peer.SendAsync(Bytes.Concat([.. Enumerable.Range(1, 10).Select(t => FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket((uint)t, $"burst {t}")).ToArray())]));
            var echoed = new List<uint>();
            var limited = new List<uint>();
            while (echoed.Count + limited.Count < 10)
            {
                var reply = await peer.ReadUntilAsync(r => r.Command is ChatCommand.PublicMessage or ChatCommand.Error or ChatCommand.ServerDisconnected, s.ReplyTimeout);
                if (reply.Packet is ChatMessagePacket m && m.From == user)
                {
                    echoed.Add(m.Tag);
                }
                else if (reply.Command == ChatCommand.Error && reply.IsError(ErrorCode.RateLimited))
                {
                    limited.Add(reply.Error!.Tag);
                }
                else
                {
                    throw new CheckFailedException($"after {echoed.Count} echoes and {limited.Count} refusals of a 10-message burst: {reply}");
                }
            }

            // Sending ten takes milliseconds, so at most one token is refilled meanwhile.
            Expect(echoed.Count is 5 or 6, $"MessageBurst is 5 but {echoed.Count} of 10 quick messages were relayed (tags {string.Join(",", echoed)})");
            Expect(echoed.SequenceEqual(Enumerable.Range(1, echoed.Count).Select(t => (uint)t)) && limited.Order().SequenceEqual(Enumerable.Range(echoed.Count + 1, limited.Count).Select(t => (uint)t)),
                $"the first messages should pass and the rest be refused with their own tags; relayed {string.Join(",", echoed)}, refused {string.Join(",", limited)}");

            // Not closed: after a refill (2/s) a message goes through again.
            await Task.Delay(700);
            await peer.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(100, "after the refill"));
            var later = await peer.ReadUntilAsync(r => r.Command is ChatCommand.PublicMessage or ChatCommand.Error or ChatCommand.ServerDisconnected, s.ReplyTimeout);
            Expect(later.Packet is ChatMessagePacket { Tag: 100 }, $"after RateLimited and a refill the session should relay again; got {later}");

            // Ignoring RateLimited: 200 at once. More than 100 refusals in a row end the session.
            await peer.SendAsync(Bytes.Concat([.. Enumerable.Range(0, 200).Select(t => FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket((uint)(1000 + t), "flood")).ToArray())]));
            int refusals = 0;
            RawReply? disconnect = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                var reply = await peer.ReadAsync(deadline - DateTime.UtcNow);
                if (reply.Kind != ReplyKind.Frame)
                {
                    Expect(reply.Kind == ReplyKind.Closed, $"flood: {reply} after {refusals} refusals");
                    break;
                }

                if (reply.Command == ChatCommand.ServerDisconnected)
                {
                    disconnect = reply;
                }
                else if (reply.IsError(ErrorCode.RateLimited))
                {
                    refusals++;
                }
            }

            Expect(disconnect is not null && disconnect.IsError(ErrorCode.RateLimited), $"a flood of 200 ended without ServerDisconnected RateLimited ({refusals} refusals seen)");
            s.Note($"burst relayed {echoed.Count}/10; flood cut after {refusals} refusals");
        }

        await s.HealthAsync();
    });

    private static async Task PerAddressAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string>
    {
        ["MaxConnectionsPerAddress"] = "3",
        ["MaxPendingLoginsPerAddress"] = "8",
    }, async s =>
    {
        var held = new List<RawPeer>();
        try
        {
            // Logged-in and not-yet-logged-in connections both count.
            held.Add((await s.RawLoggedInAsync()).Peer);
            held.Add((await s.RawLoggedInAsync()).Peer);
            var pending = await s.RawAsync();
            held.Add(pending);
            await pending.HelloAsync();
            await using (var extra = await s.RawAsync())
            {
                await s.ExpectErrorAsync(extra, ErrorCode.TooManyConnections, closes: true, "a 4th connection from 127.0.0.1");
            }

            await using (var other = await s.ClientAsync(localAddress: s_otherAddress))
            {
                var echo = await other.SendPublicAsync("from 127.0.0.2");
                Expect(echo.Text == "from 127.0.0.2", "the client from 127.0.0.2 got no echo");
                var seen = await held[0].ReadUntilAsync(r => r.Packet is ChatMessagePacket { Text: "from 127.0.0.2" }, s.ReplyTimeout);
                Expect(seen.Kind == ReplyKind.Frame, $"a client on 127.0.0.1 did not get the message from 127.0.0.2: {seen}");
                await CloseAsync(other);
            }

            // Closing one gives its place back (retrying while the server finishes the close).
            await held[2].DisposeAsync();
            held.RemoveAt(2);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (true)
            {
                try
                {
                    await CloseAsync(await s.ClientAsync());
                    break;
                }
                catch (ChatClientException ex) when (ex.Code == ErrorCode.TooManyConnections && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
        }
        finally
        {
            foreach (var peer in held)
            {
                await peer.DisposeAsync();
            }
        }
    });

    private static async Task PreLoginFloodAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string>
    {
        ["MaxPendingLogins"] = "8",
        ["MaxPendingLoginsPerAddress"] = "4",
        ["MaxConnectionsPerAddress"] = "200",
        // The flood must hold its sockets for the whole check, so the login timeout is longer than the suite's 2 s.
        ["LoginTimeoutSeconds"] = "15",
        ["ListenBacklog"] = "256",
    }, async s =>
    {
        const int Flood = 50;
        var held = new ConcurrentBag<RawPeer>();
        try
        {
            var sinceFlood = System.Diagnostics.Stopwatch.StartNew();
            var firsts = await Task.WhenAll(Enumerable.Range(0, Flood).Select(_ => IdleAsync(s, s_floodAddress, held)));
            int admitted = firsts.Count(f => f.Packet is ServerHelloPacket);
            int refused = firsts.Count(f => f.IsError(ErrorCode.TooManyConnections));
            Expect(admitted + refused == Flood, $"of {Flood} idle sockets from 127.0.0.3: {admitted} greeted, {refused} TooManyConnections, others: {string.Join("; ", firsts.Where(f => f.Packet is not ServerHelloPacket && !f.IsError(ErrorCode.TooManyConnections)).Distinct())}");
            Expect(admitted is >= 1 and <= 4, $"{admitted} idle sockets from one address were admitted; MaxPendingLoginsPerAddress is 4");

            // While the flood holds its sockets, real users from other addresses log in and chat.
            var a = await s.ClientAsync(localAddress: IPAddress.Loopback);
            var b = await s.ClientAsync(localAddress: s_otherAddress);
            try
            {
                var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                b.MessageReceived += (_, m) => { if (m.Text == "through the flood") { got.TrySetResult(); } };
                await a.SendPublicAsync("through the flood");
                await got.Task.WaitAsync(s.ReplyTimeout);
            }
            finally
            {
                await CloseAsync(a);
                await CloseAsync(b);
            }

            // 4 more from 127.0.0.4 fill the global budget. A newcomer from 127.0.0.5 (holding none) then takes the oldest
            // place of the biggest holder (evicted with TooManyConnections), so a few addresses cannot lock everyone
            // out; the budget still binds for an address holding nearly as many as the biggest (127.0.0.3, now 3).
            var more = await Task.WhenAll(Enumerable.Range(0, 8 - admitted).Select(_ => IdleAsync(s, IPAddress.Parse("127.0.0.4"), held)));
            var newcomer = await IdleAsync(s, IPAddress.Parse("127.0.0.5"), held);
            // Within 2 s of the flood (the server's eviction grace) nothing is old enough to give way to 127.0.0.3 again;
            // later the connection that waited longest does, so a slow run may see the flooder admitted.
            bool withinGrace = sinceFlood.Elapsed < TimeSpan.FromSeconds(2);
            var flooder = await IdleAsync(s, s_floodAddress, held);
            Expect(more.All(f => f.Packet is ServerHelloPacket) && newcomer.Packet is ServerHelloPacket
                && (flooder.IsError(ErrorCode.TooManyConnections) || (!withinGrace && flooder.Packet is ServerHelloPacket)),
                $"with 127.0.0.3 holding {admitted} and 127.0.0.4 {more.Count(f => f.Packet is ServerHelloPacket)} pre-login slots of 8, 127.0.0.5 got {newcomer} (want ServerHello: it takes 127.0.0.3's oldest) and then 127.0.0.3 got {flooder} (want TooManyConnections{(withinGrace ? string.Empty : ", or ServerHello in place of the connection that waited longest, over 2 s")})");
            s.Note($"{admitted} of {Flood} flood sockets admitted, {refused} refused; real users logged in");
        }
        finally
        {
            foreach (var peer in held)
            {
                await peer.DisposeAsync();
            }
        }

        // The slots come back as the server notices the closes: a health probe succeeds within a few seconds.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                await s.HealthAsync();
                break;
            }
            catch (ChatClientException ex) when (ex.Code == ErrorCode.TooManyConnections && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    });

    /// <summary>Connects from <paramref name="from"/>, sends nothing, and returns the first frame: ServerHello or a refusal.</summary>
    private static async Task<RawReply> IdleAsync(CheckContext s, IPAddress from, ConcurrentBag<RawPeer> held)
    {
        try
        {
            using var limit = new CancellationTokenSource(s.ReplyTimeout);
            var peer = await RawPeer.ConnectAsync(s.Target, limit.Token, localAddress: from);
            held.Add(peer);
            return await peer.ReadAsync(s.ReplyTimeout);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return new RawReply(ReplyKind.Closed, Detail: ex.Message);
        }
    }
}
