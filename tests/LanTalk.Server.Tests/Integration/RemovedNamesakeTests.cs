using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// An account removed and a new one made under its name (a different person): nothing of the old account reaches the
/// new one, through the 30-second re-delivery, a receipt, the private catch-up or Search (an audit, 2026-12-06).
/// </summary>
[TestFixture]
public sealed class RemovedNamesakeTests
{
    [Test]
    public async Task The_30_second_redelivery_never_gives_a_new_account_what_was_delivered_to_the_removed_one()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        var stored = await SendPrivateAsync(alice, "bob", 1, "for the old bob");
        await using (var oldBob = await V3.LoginAsync(server, "bob"))
        {
            await oldBob.ReadUntilAsync(f => f.Packet is ChatMessagePacket m && m.MessageId == stored.MessageId, "the stored message");
        }

        Recreate(server, "bob", stored);
        await using var newBob = await V3.LoginAsync(server, "bob");
        var marker = await SendPrivateAsync(alice, "bob", 2, "hello, new bob");
        var seen = await ReadUpToAsync(newBob, marker.MessageId);

        seen.OfType<ChatMessagePacket>().Select(m => m.Text).Should().Equal(["hello, new bob"], "the old account's delivery is not the new one's");
    }

    [Test]
    public async Task A_v2_session_logging_in_within_30_seconds_of_a_delivery_does_not_get_it_again()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        var stored = await SendPrivateAsync(alice, "bob", 1, "lunch?");
        await using var bob = await V3.LoginAsync(server, "bob");
        await bob.ReadUntilAsync(f => f.Packet is ChatMessagePacket m && m.MessageId == stored.MessageId, "the stored message");

        await using var bobV2 = await server.ConnectRawAsync();
        await bobV2.HelloAsync(2);
        await bobV2.SendAsync(ChatCommand.RequestLogin, new LoginPacket("bob", TestServer.Password));
        await bobV2.ReadUntilAsync(f => f.Command is ChatCommand.UserAuthenticated, "the v2 login's welcome");
        var marker = await SendPrivateAsync(alice, "bob", 2, "after the v2 login");
        var seen = await ReadUpToAsync(bobV2, marker.MessageId);

        // PROTOCOL.md, "Devices started together": v3 only; a v2 client cannot see the Offline flag.
        seen.OfType<ChatMessagePacket>().Select(m => m.Text).Should().Equal(["after the v2 login"]);
    }

    [Test]
    public async Task A_receipt_owed_to_a_removed_account_is_dropped_not_told_to_a_new_account_of_its_name()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "bob", "carol");
        ChatMessagePacket stored;
        await using (var oldBob = await V3.LoginAsync(server, "bob"))
        {
            stored = await SendPrivateAsync(oldBob, "carol", 1, "from the old bob");
        }

        await using var carol = await V3.LoginAsync(server, "carol");
        await carol.ReadUntilAsync(f => f.Packet is ChatMessagePacket m && m.MessageId == stored.MessageId, "the stored message");
        SpinWait.SpinUntil(() => server.History.Receipt((long)stored.MessageId) is not null, Wait.Timeout).Should().BeTrue("the delivery is marked");
        Recreate(server, "bob", stored);

        await using var newBob = await V3.LoginAsync(server, "bob");
        // A second session's login waits at the user's delivery gate for the first one's (receipts included), and a
        // live message to it waits for that login's stored messages: once the second has the marker, the first one's
        // receipts, if any, are queued before it.
        await using var newBobAgain = await V3.LoginAsync(server, "bob");
        var marker = await SendPrivateAsync(carol, "bob", 2, "hello, new bob");
        await ReadUpToAsync(newBobAgain, marker.MessageId);
        var seen = await ReadUpToAsync(newBob, marker.MessageId);

        seen.OfType<ReceiptPacket>().Should().BeEmpty("the new bob never sent the message");
        server.History.UntoldReceiptsFor("bob", 10).Should().BeEmpty("the receipt is dropped, not kept for a later login");
    }

    [Test]
    public async Task The_private_catch_up_and_search_hide_a_removed_namesakes_conversation_as_history_does()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "bob");
        await using var alice = await V3.LoginAsync(server, "alice");
        var start = await V3.SayAsync(alice, string.Empty, 1, "where the catch-up starts");
        ChatMessagePacket last;
        await using (var oldBob = await V3.LoginAsync(server, "bob"))
        {
            await SendPrivateAsync(alice, "bob", 2, "kiwi to the old bob");
            last = await SendPrivateAsync(oldBob, "alice", 3, "kiwi from the old bob");
        }

        Recreate(server, "bob", last);
        await using var newBob = await V3.LoginAsync(server, "bob");
        await SendPrivateAsync(alice, "bob", 4, "kiwi to the new bob");

        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(10, HistoryScope.Private, Limit: 50), "bob");
        var history = await V3.ReadAnswerAsync(alice, 10);
        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(11, HistoryScope.Private, AfterId: start.MessageId, Limit: 50));
        var forwards = await V3.ReadAnswerAsync(alice, 11);
        await alice.SendAsync(ChatCommand.History, new HistoryRequestPacket(12, HistoryScope.Private, Limit: 50));
        var newest = await V3.ReadAnswerAsync(alice, 12);
        await alice.SendAsync(ChatCommand.Search, new HistoryRequestPacket(13, HistoryScope.Everything, Text: "kiwi"));
        var search = await V3.ReadAnswerAsync(alice, 13);

        history.Messages.Select(m => m.Text).Should().Equal("kiwi to the new bob");
        forwards.Messages.Select(m => m.Text).Should().Equal(["kiwi to the new bob"], "the catch-up forwards follows History's rule");
        forwards.End.Remaining.Should().Be(0);
        newest.Messages.Select(m => m.Text).Should().Equal(["kiwi to the new bob"], "the newest private messages likewise");
        newest.End.Remaining.Should().Be(0, "the old conversation is not counted either");
        search.Messages.Select(m => m.Text).Should().Equal(["kiwi to the new bob"], "Search likewise");
    }

    /// <summary>A private message and its echo (the acknowledgement).</summary>
    private static async Task<ChatMessagePacket> SendPrivateAsync(RawClient from, string to, uint tag, string text)
    {
        await from.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(tag, text), to);
        var echo = await from.ReadUntilAsync(f => f.Packet is ChatMessagePacket m && m.Tag == tag || f.Packet is ErrorPacket e && e.Tag == tag, $"the echo of message {tag}");
        echo.Packet.Should().BeOfType<ChatMessagePacket>($"message {tag} should be acknowledged, got {echo}");
        return (ChatMessagePacket)echo.Packet;
    }

    /// <summary>Every packet up to and including the message with <paramref name="id"/>.</summary>
    private static async Task<List<IPacket>> ReadUpToAsync(RawClient client, ulong id)
    {
        var seen = new List<IPacket>();
        await client.ReadUntilAsync(f =>
        {
            seen.Add(f.Packet);
            return f.Packet is ChatMessagePacket m && m.MessageId == id;
        }, $"message {id}");
        return seen;
    }

    /// <summary>
    /// Removes <paramref name="user"/> and makes a new account of the name, created after <paramref name="after"/> as
    /// it always is outside a test (a spin until the clock has moved past it, not a sleep).
    /// </summary>
    private static void Recreate(TestServer server, string user, ChatMessagePacket after)
    {
        server.Users.Remove(user).Should().BeTrue();
        SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > after.ServerTimeMs + 1, Wait.Timeout).Should().BeTrue();
        server.Users.Add(user, TestServer.Password);
    }
}
