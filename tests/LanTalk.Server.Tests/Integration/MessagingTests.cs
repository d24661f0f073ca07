using System.Text;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Public and private routing between logged-in users.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class MessagingTests
{
    [Test]
    public async Task Public_message_reaches_every_user_once_and_is_echoed_to_the_sender()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var probes = new List<ClientProbe>();
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            probes.Add(await server.LoginProbeAsync(name));
        }

        try
        {
            var echo = await probes[0].Client.SendPublicAsync("hello, world 👋");
            // A marker sent after it: once it arrives, a duplicate of the first would have arrived too.
            var marker = await probes[0].Client.SendPublicAsync("marker");

            echo.From.Should().Be("alice");
            echo.Text.Should().Be("hello, world 👋");
            echo.To.Should().BeNull();
            foreach (var probe in probes)
            {
                var inbox = await probe.Messages.WaitUntilAsync(list => list.Any(m => m.Id == marker.Id), $"{probe} gets the messages");
                inbox.Select(m => m.Id).Should().Equal(echo.Id, marker.Id);
            }
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.Client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Public_fan_out_to_20_clients_loses_nothing_duplicates_nothing_and_keeps_each_senders_order()
    {
        const int Clients = 20;
        const int PerSender = 10;
        var names = Enumerable.Range(1, Clients).Select(i => $"user{i:00}").ToArray();
        await using var server = await TestServer.StartAsync(null, names);
        var probes = await Task.WhenAll(names.Select(n => server.LoginProbeAsync(n)));
        try
        {
            // Every login has completed, so everyone is online before anyone sends and must get every message.
            foreach (var probe in probes)
            {
                for (int i = 1; i <= PerSender; i++)
                {
                    probe.Client.PostMessage(null, $"{probe.Client.UserName} #{i}");
                }
            }

            await Task.WhenAll(probes.Select(p => p.Client.SendPublicAsync("done")));

            foreach (var probe in probes)
            {
                var inbox = await probe.Messages.WaitUntilAsync(
                    list => list.Count(m => m.Text == "done") == Clients, $"{probe} gets every sender's last message");
                inbox.Should().HaveCount(Clients * (PerSender + 1), $"{probe} gets each message exactly once");
                inbox.Select(m => m.Id).Should().OnlyHaveUniqueItems();
                foreach (var sender in inbox.GroupBy(m => m.From))
                {
                    var texts = sender.Select(m => m.Text).ToArray();
                    texts.Should().Equal(
                        Enumerable.Range(1, PerSender).Select(i => $"{sender.Key} #{i}").Append("done"),
                        $"{probe} sees {sender.Key}'s messages in the order sent");
                }
            }
        }
        finally
        {
            await Task.WhenAll(probes.Select(p => p.Client.DisposeAsync().AsTask()));
        }
    }

    [Test]
    public async Task Private_message_reaches_the_recipient_and_the_senders_echo_only()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob", "carol");
        var alice = await server.LoginProbeAsync("alice");
        var bob = await server.LoginProbeAsync("bob");
        var carol = await server.LoginProbeAsync("carol");
        await using var a = alice.Client;
        await using var b = bob.Client;
        await using var c = carol.Client;

        var echo = await alice.Client.SendPrivateAsync("BOB", "for bob only");
        // Alice's next public message is relayed after the private one, so once carol has it the private one would have arrived.
        var after = await alice.Client.SendPublicAsync("public after");

        echo.To.Should().Be("bob");
        echo.From.Should().Be("alice");
        var atBob = await bob.Messages.WaitForAsync(m => m.Id == echo.Id, "bob gets the private message");
        atBob.Should().BeEquivalentTo(echo);
        atBob.IsPrivate.Should().BeTrue();
        await carol.Messages.WaitForAsync(m => m.Id == after.Id, "carol gets the later public message");
        carol.Messages.Items.Should().NotContain(m => m.IsPrivate, "carol is not a party to the private message");
        await bob.Messages.WaitForAsync(m => m.Id == after.Id, "bob gets the later public message");
        bob.Messages.Items.Count(m => m.Id == echo.Id).Should().Be(1);
        alice.Messages.Items.Count(m => m.Id == echo.Id).Should().Be(1, "the sender gets exactly one echo");
    }

    [Test]
    public async Task Private_message_to_a_name_without_an_account_fails_with_UnknownUser()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var alice = await server.LoginAsync("alice");

        var send = () => alice.SendPrivateAsync("nobody", "hello?");

        var failure = (await send.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.UnknownUser);
        failure.Code.Should().Be(ErrorCode.UnknownUser);
        alice.IsConnected.Should().BeTrue();
    }

    [Test]
    public async Task Private_message_to_an_existing_user_who_is_offline_fails_with_UserOffline()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");

        var send = () => alice.SendPrivateAsync("bob", "are you there?");

        var failure = (await send.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.UserOffline);
        failure.Code.Should().Be(ErrorCode.UserOffline);
        (await alice.SendPublicAsync("still connected")).Text.Should().Be("still connected");
    }

    [Test]
    public async Task Unicode_text_is_relayed_byte_exact()
    {
        // Emoji (surrogate pairs, ZWJ sequence, skin tone), RTL Hebrew and Arabic with marks, CJK, combining accents.
        const string Text = "👩‍💻👍🏽 שָׁלוֹם مَرْحَبًا 你好，世界 こんにちは 한국어 e\u0301 \u200F!";
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        await using var bob = await server.LoginRawAsync("bob");

        var echo = await alice.SendPublicAsync(Text);

        echo.Text.Should().Be(Text);
        var frame = await bob.ReadUntilAsync(f => f.Command == ChatCommand.PublicMessage, "the public message");
        int offset = ChatMessageFrame.TextOffset(frame.Body);
        int length = BitConverter.ToUInt16(frame.Body, offset);
        frame.Body.AsSpan(offset + 2, length).ToArray().Should().Equal(Encoding.UTF8.GetBytes(Text));
    }

    [Test]
    public async Task Message_over_the_limit_gets_MessageTooLong_and_the_connection_stays_open()
    {
        await using var server = await TestServer.StartAsync(s => s with { MaxMessageBytes = 100 }, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        var bob = await server.LoginProbeAsync("bob");
        await using var b = bob.Client;

        // 34 three-byte characters: 102 bytes although only 34 chars, so the limit counts UTF-8 bytes.
        var tooLong = () => alice.SendPublicAsync(new string('€', 34));
        var atLimit = new string('x', 100);

        var failure = (await tooLong.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Code.Should().Be(ErrorCode.MessageTooLong);
        var echo = await alice.SendPublicAsync(atLimit);
        echo.Text.Should().Be(atLimit);
        await bob.Messages.WaitForAsync(m => m.Id == echo.Id, "bob gets the message at the limit");
        bob.Messages.Items.Should().ContainSingle("the refused message is not relayed");
    }

    [Test]
    public async Task Private_message_to_yourself_arrives_once()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        var alice = await server.LoginProbeAsync("alice");
        await using var a = alice.Client;

        var echo = await alice.Client.SendPrivateAsync("alice", "note to self");
        var after = await alice.Client.SendPublicAsync("after");

        echo.To.Should().Be("alice");
        var inbox = await alice.Messages.WaitUntilAsync(list => list.Any(m => m.Id == after.Id), "the later message");
        inbox.Select(m => m.Id).Should().Equal(echo.Id, after.Id);
    }

    [Test]
    public async Task Empty_text_is_relayed()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        var bob = await server.LoginProbeAsync("bob");
        await using var b = bob.Client;

        var echo = await alice.SendPublicAsync(string.Empty);

        (await bob.Messages.WaitForAsync(m => m.Id == echo.Id, "bob gets the empty message")).Text.Should().BeEmpty();
    }

    [Test]
    public async Task Private_message_with_an_empty_target_gets_ProtocolViolation_then_close()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.LoginRawAsync("alice");

        await raw.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket(5, "to nobody"));

        await raw.ExpectErrorThenCloseAsync(ErrorCode.ProtocolViolation);
    }
}
