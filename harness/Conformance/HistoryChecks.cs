using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>Durable history (protocol v3): replay on join and its seam, catch-up, paging, search, offline messages, receipts.</summary>
internal static class HistoryChecks
{
    public static IEnumerable<Check> All =>
    [
        new("history-replay-on-join", "a v3 join replays the room's messages (flag History, original ids) before HistoryEnd; a message sent during the join comes once, live or replayed", ReplayOnJoinAsync),
        new("history-catch-up", "a join with SinceId replays only the messages after it", CatchUpAsync),
        new("history-catch-up-seen-empty", "a join with the CatchUp flag and SinceId 0 replays the room from its first message, oldest first", CatchUpSeenEmptyAsync),
        new("history-paging", "History with BeforeId and Limit pages back oldest-first and counts what remains; a room the user is not in gets NotInRoom", PagingAsync),
        new("history-search", "Search finds the words in the user's rooms and own private messages, not in others' rooms", SearchAsync),
        new("offline-store-deliver", "a private message to a user with no session is acknowledged as Stored, delivered at its login (flag Offline) and its sender gets a Receipt", OfflineAsync),
        new("offline-one-shot", "a OneShot session (ClientHello Flags 0x1) is delivered no stored private message; the next login without the flag gets it", OneShotAsync),
        new("offline-too-many-stored", "beyond OfflineMessagesPerUser a private message gets TooManyStored with its tag", TooManyStoredAsync, NeedsSpawnedServer: true),
        new("offline-sender-share", "beyond OfflineMessagesPerSender one sender gets TooManyStored, and another sender still gets through", SenderShareAsync, NeedsSpawnedServer: true),
        new("history-v2-none", "a v2 client gets no replayed message at login, only live traffic", V2NoHistoryAsync),
    ];

    private static async Task ReplayOnJoinAsync(CheckContext c)
    {
        string room = Room();
        var (a, _) = await V3Async(c);
        var (b, _) = await V3Async(c);
        await using (a)
        await using (b)
        {
            await JoinAsync(a, room, 1);
            var ids = new List<ulong>();
            for (uint i = 0; i < 3; i++)
            {
                ids.Add(await SendAsync(a, room, 10 + i, $"before {i}"));
            }

            // The seam: a message races the join. It must reach b exactly once, replayed or live, never both.
            await b.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(2), room);
            await a.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(20, "during the join"), room);
            var seen = new List<(ulong Id, bool History)>();
            HistoryEndPacket? end = null;
            while (end is null)
            {
                var reply = await b.ReadUntilAsync(r => r.Packet is ChatMessagePacket || r.Packet is HistoryEndPacket { Tag: 2 } || r.Packet is ErrorPacket, c.ReplyTimeout);
                switch (reply.Packet)
                {
                    case ChatMessagePacket m:
                        seen.Add((m.MessageId, m.Flags.HasFlag(MessageMarks.History)));
                        break;
                    case HistoryEndPacket e:
                        end = e;
                        break;
                    default:
                        throw new CheckFailedException($"joining {room}: {reply}");
                }
            }

            Expect(seen.Where(s => s.History).Select(s => s.Id).Take(3).SequenceEqual(ids), $"the replay should start with the 3 earlier ids {string.Join(',', ids)}; got {string.Join(',', seen)}");
            Expect(seen.All(s => s.History), $"nothing live may come before the join's HistoryEnd; got {string.Join(',', seen)}");
            Expect(end.Count == seen.Count && end.FirstId == ids[0], $"HistoryEnd should count the {seen.Count} replayed from {ids[0]}; got {end}");
            if (seen.Count == 3)
            {
                var live = await b.ReadUntilAsync(r => r.Packet is ChatMessagePacket, c.ReplyTimeout);
                Expect(live.Packet is ChatMessagePacket { Text: "during the join" } m && !m.Flags.HasFlag(MessageMarks.History), $"the racing message should come live after HistoryEnd; got {live}");
            }
            else
            {
                Expect(seen.Count == 4, $"the replay should hold 3 or 4 messages; got {seen.Count}");
                var extra = await b.ReadUntilAsync(r => r.Packet is ChatMessagePacket, TimeSpan.FromMilliseconds(500));
                Expect(extra.Kind == ReplyKind.TimedOut, $"the racing message was replayed, so it must not come live too; got {extra}");
            }
        }
    }

    private static async Task CatchUpAsync(CheckContext c)
    {
        string room = Room();
        var (a, _) = await V3Async(c);
        var (b, _) = await V3Async(c);
        await using (a)
        await using (b)
        {
            await JoinAsync(a, room, 1);
            var ids = new List<ulong>();
            for (uint i = 0; i < 4; i++)
            {
                ids.Add(await SendAsync(a, room, 10 + i, $"m {i}"));
            }

            var (replay, end) = await JoinAsync(b, room, 2, sinceId: ids[1]);
            Expect(replay.Select(m => m.MessageId).SequenceEqual(ids[2..]), $"SinceId {ids[1]} should replay {string.Join(',', ids[2..])}; got {string.Join(',', replay.Select(m => m.MessageId))}");
            Expect(end.Count == 2 && end.Remaining == 0, $"HistoryEnd should say 2 sent, 0 remaining; got {end}");
        }
    }

    private static async Task CatchUpSeenEmptyAsync(CheckContext c)
    {
        string room = Room();
        var (a, _) = await V3Async(c);
        var (b, _) = await V3Async(c);
        await using (a)
        await using (b)
        {
            var (first, firstEnd) = await JoinAsync(a, room, 1);
            Expect(first.Count == 0 && firstEnd is { Count: 0, Remaining: 0 }, $"a new room's join should replay nothing; got {firstEnd}");
            var ids = new List<ulong>();
            for (uint i = 0; i < 3; i++)
            {
                ids.Add(await SendAsync(a, room, 10 + i, $"e {i}"));
            }

            await b.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(2, RoomModes.CatchUp), room);
            var (replay, end) = await ReadAnswerAsync(b, 2, TimeSpan.FromSeconds(5));
            Expect(replay.Select(m => m.MessageId).SequenceEqual(ids), $"CatchUp from 0 should replay {string.Join(',', ids)}; got {string.Join(',', replay.Select(m => m.MessageId))}");
            Expect(end.Count == 3 && end.Remaining == 0 && end.FirstId == ids[0] && end.LastId == ids[2], $"HistoryEnd should say 3 sent from {ids[0]} to {ids[2]}, 0 remaining; got {end}");
        }
    }

    private static async Task PagingAsync(CheckContext c)
    {
        string room = Room();
        var (a, _) = await V3Async(c);
        await using (a)
        {
            await JoinAsync(a, room, 1);
            var ids = new List<ulong>();
            for (uint i = 0; i < 5; i++)
            {
                ids.Add(await SendAsync(a, room, 10 + i, $"page {i}"));
            }

            await a.SendAsync(ChatCommand.History, new HistoryRequestPacket(30, HistoryScope.Room, BeforeId: ids[4], Limit: 2), room);
            var (page, end) = await ReadAnswerAsync(a, 30, c.ReplyTimeout);
            Expect(page.Select(m => m.MessageId).SequenceEqual(ids[2..4]), $"BeforeId {ids[4]} Limit 2 should give {ids[2]},{ids[3]}; got {string.Join(',', page.Select(m => m.MessageId))}");
            Expect(end.Remaining == 2 && end.FirstId == ids[2] && end.LastId == ids[3], $"HistoryEnd should say 2 remain, ids {ids[2]}..{ids[3]}; got {end}");

            // A room that exists but a is not in (b keeps it open) is NotInRoom; one that does not exist is NoSuchRoom.
            var (b, _) = await V3Async(c);
            await using (b)
            {
                string other = Room();
                await JoinAsync(b, other, 1);
                await a.SendAsync(ChatCommand.History, new HistoryRequestPacket(31, HistoryScope.Room), other);
                var refused = await a.ReadUntilAsync(r => r.Packet is ErrorPacket || r.Packet is HistoryEndPacket { Tag: 31 }, c.ReplyTimeout);
                Expect(refused.IsError(ErrorCode.NotInRoom) && refused.Error!.Tag == 31, $"History of a room the user is not in should get NotInRoom with tag 31; got {refused}");
                await a.SendAsync(ChatCommand.History, new HistoryRequestPacket(32, HistoryScope.Room), Room());
                var none = await a.ReadUntilAsync(r => r.Packet is ErrorPacket || r.Packet is HistoryEndPacket { Tag: 32 }, c.ReplyTimeout);
                Expect(none.IsError(ErrorCode.NoSuchRoom) && none.Error!.Tag == 32, $"History of a room that does not exist should get NoSuchRoom with tag 32; got {none}");
            }
        }
    }

    private static async Task SearchAsync(CheckContext c)
    {
        string mine = Room();
        string theirs = Room();
        string word = "zq" + Random.Shared.Next(1_000_000, 9_999_999);
        var (a, _) = await V3Async(c);
        var (b, _) = await V3Async(c);
        await using (a)
        await using (b)
        {
            await JoinAsync(a, mine, 1);
            await JoinAsync(b, theirs, 1);
            ulong found = await SendAsync(a, mine, 2, $"the {word} is here");
            await SendAsync(b, theirs, 2, $"a {word} a user outside this room must not find");
            await a.SendAsync(ChatCommand.Search, new HistoryRequestPacket(40, HistoryScope.Everything, Text: word));
            var (hits, end) = await ReadAnswerAsync(a, 40, c.ReplyTimeout);
            Expect(hits.Select(m => m.MessageId).SequenceEqual([found]), $"search for '{word}' should find only #{found}; got {string.Join(',', hits.Select(m => m.MessageId))}");
            Expect(end.Count == 1, $"HistoryEnd should count 1; got {end}");
        }
    }

    private static async Task OfflineAsync(CheckContext c)
    {
        var (a, _) = await V3Async(c);
        await using (a)
        {
            // A user with no session: the suite's accounts are many, and this one is logged in by no other check now.
            string offline = c.Target.Users[^1];
            await a.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(50, "while you were out"), offline);
            var echo = await a.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: 50 } || r.Packet is ErrorPacket, c.ReplyTimeout);
            Expect(echo.Packet is ChatMessagePacket m && m.Flags.HasFlag(MessageMarks.Stored), $"a private message to offline '{offline}' should be echoed with flag Stored; got {echo}");
            ulong id = ((ChatMessagePacket)echo.Packet!).MessageId;

            await using var b = await V3LoginAsync(c, offline);
            var delivered = await b.ReadUntilAsync(r => r.Packet is ChatMessagePacket, c.ReplyTimeout);
            Expect(delivered.Packet is ChatMessagePacket d && d.MessageId == id && d.Flags.HasFlag(MessageMarks.Offline) && d.Text == "while you were out",
                $"at login '{offline}' should get #{id} with flag Offline; got {delivered}");
            var receipt = await a.ReadUntilAsync(r => r.Packet is ReceiptPacket, c.ReplyTimeout);
            Expect(receipt.Packet is ReceiptPacket rp && rp.MessageId == id, $"the sender should get a Receipt for #{id}; got {receipt}");
        }
    }

    private static async Task OneShotAsync(CheckContext c)
    {
        var (a, sender) = await V3Async(c);
        await using (a)
        {
            string offline = c.Target.Users[^1];
            await a.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(60, "for your chat, not your script"), offline);
            var echo = await a.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: 60 } || r.Packet is ErrorPacket, c.ReplyTimeout);
            Expect(echo.Packet is ChatMessagePacket m && m.Flags.HasFlag(MessageMarks.Stored), $"a private message to offline '{offline}' should be echoed with flag Stored; got {echo}");
            ulong id = ((ChatMessagePacket)echo.Packet!).MessageId;

            await using (var script = await V3LoginAsync(c, offline, ClientHelloMarks.OneShot))
            {
                // Stored messages come before anything routed after the login, the session's own echo included.
                await script.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(61, "sent by a script"), sender);
                var first = await script.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: 61 } || r.Packet is ChatMessagePacket { MessageId: var i } && i == id || r.Packet is ErrorPacket, c.ReplyTimeout);
                Expect(first.Packet is ChatMessagePacket { Tag: 61 }, $"the OneShot session should get its echo and not stored #{id}; got {first}");
            }

            await using var chat = await V3LoginAsync(c, offline);
            var delivered = await chat.ReadUntilAsync(r => r.Packet is ChatMessagePacket { MessageId: var d } && d == id, c.ReplyTimeout);
            Expect(delivered.Packet is ChatMessagePacket dm && dm.Flags.HasFlag(MessageMarks.Offline), $"the next login should get stored #{id} with flag Offline; got {delivered}");
        }
    }

    private static async Task TooManyStoredAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string> { ["OfflineMessagesPerUser"] = "2" }, async s =>
    {
        var (a, _) = await V3Async(s);
        await using (a)
        {
            string offline = s.Target.Users[^1];
            for (uint tag = 1; tag <= 3; tag++)
            {
                await a.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(tag, $"stored {tag}"), offline);
                var reply = await a.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: > 0 } || r.Packet is ErrorPacket, s.ReplyTimeout);
                if (tag <= 2)
                {
                    Expect(reply.Packet is ChatMessagePacket m && m.Flags.HasFlag(MessageMarks.Stored), $"message {tag} of 2 should be stored; got {reply}");
                }
                else
                {
                    Expect(reply.IsError(ErrorCode.TooManyStored) && reply.Error!.Tag == 3, $"the third message should get TooManyStored with tag 3; got {reply}");
                }
            }
        }
    });

    private static async Task SenderShareAsync(CheckContext c) => await c.WithOwnServerAsync(c.Target.Transport, new Dictionary<string, string> { ["OfflineMessagesPerUser"] = "3", ["OfflineMessagesPerSender"] = "1" }, async s =>
    {
        var (a, _) = await V3Async(s);
        var (b, _) = await V3Async(s);
        await using (a)
        await using (b)
        {
            string offline = s.Target.Users[^1];
            await a.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(1, "mine"), offline);
            var first = await a.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: > 0 } || r.Packet is ErrorPacket, s.ReplyTimeout);
            Expect(first.Packet is ChatMessagePacket m && m.Flags.HasFlag(MessageMarks.Stored), $"the first message should be stored; got {first}");
            await a.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(2, "one too many"), offline);
            var second = await a.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: > 0 } || r.Packet is ErrorPacket, s.ReplyTimeout);
            Expect(second.IsError(ErrorCode.TooManyStored) && second.Error!.Tag == 2 && second.Error.Text.Contains("OfflineMessagesPerSender", StringComparison.Ordinal),
                $"the sender's second message should get TooManyStored naming OfflineMessagesPerSender, with tag 2; got {second}");
            await b.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(3, "theirs"), offline);
            var other = await b.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: > 0 } || r.Packet is ErrorPacket, s.ReplyTimeout);
            Expect(other.Packet is ChatMessagePacket o && o.Flags.HasFlag(MessageMarks.Stored), $"another sender's message should still be stored; got {other}");
        }
    });

    private static async Task V2NoHistoryAsync(CheckContext c)
    {
        var (a, _) = await V3Async(c);
        await using (a)
        {
            // A message in the default room (empty target), so there is history a v2 client could be sent.
            await a.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(60, "for the record"));
            await a.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: 60 }, c.ReplyTimeout);
            var (v2, _) = await c.RawLoggedInAsync();
            await using (v2)
            {
                await v2.SendAsync(ChatCommand.Ping, new PingPacket(61));
                var first = await v2.ReadUntilAsync(r => r.Packet is ChatMessagePacket || r.Command == ChatCommand.Pong, c.ReplyTimeout);
                Expect(first.Command == ChatCommand.Pong, $"a v2 client should get no replayed message at login; got {first}");
            }
        }
    }

    private static string Room() => "conf" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(RawPeer Peer, string User)> V3Async(CheckContext c)
    {
        string user = c.NextUser();
        return (await V3LoginAsync(c, user), user);
    }

    private static async Task<RawPeer> V3LoginAsync(CheckContext c, string user, ClientHelloMarks marks = ClientHelloMarks.None)
    {
        var peer = await c.RawAsync();
        await peer.HelloAsync(3, marks);
        var reply = await peer.LoginAsync(user, c.Password);
        if (reply.Command != ChatCommand.UserAuthenticated)
        {
            await peer.DisposeAsync();
            throw new CheckFailedException($"v3 login as {user} failed: {reply}");
        }

        return peer;
    }

    private static async Task<(List<ChatMessagePacket> Replay, HistoryEndPacket End)> JoinAsync(RawPeer peer, string room, uint tag, ulong sinceId = 0)
    {
        await peer.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(tag, SinceId: sinceId), room);
        return await ReadAnswerAsync(peer, tag, TimeSpan.FromSeconds(5));
    }

    /// <summary>The History-flagged messages up to the HistoryEnd with <paramref name="tag"/>; an Error with the tag fails the check.</summary>
    private static async Task<(List<ChatMessagePacket> Messages, HistoryEndPacket End)> ReadAnswerAsync(RawPeer peer, uint tag, TimeSpan timeout)
    {
        var messages = new List<ChatMessagePacket>();
        while (true)
        {
            var reply = await peer.ReadUntilAsync(r => r.Packet is ChatMessagePacket || r.Packet is HistoryEndPacket || r.Packet is ErrorPacket, timeout);
            switch (reply.Packet)
            {
                case ChatMessagePacket m when m.Flags.HasFlag(MessageMarks.History):
                    messages.Add(m);
                    break;
                case HistoryEndPacket end when end.Tag == tag:
                    return (messages, end);
                case ErrorPacket error when error.Tag == tag:
                    throw new CheckFailedException($"request {tag} refused: {error.Code}: {error.Text}");
                case null:
                    throw new CheckFailedException($"waiting for the answer to request {tag}: {reply}");
            }
        }
    }

    /// <summary>Sends a room message and returns the id of its echo.</summary>
    private static async Task<ulong> SendAsync(RawPeer peer, string room, uint tag, string text)
    {
        await peer.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(tag, text), room);
        var echo = await peer.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: var t } && t == tag || r.Packet is ErrorPacket, TimeSpan.FromSeconds(5));
        return echo.Packet is ChatMessagePacket m ? m.MessageId : throw new CheckFailedException($"message {tag} to {room} was not acknowledged: {echo}");
    }
}
