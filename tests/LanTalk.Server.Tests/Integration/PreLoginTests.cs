using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Before login a socket may only say Hello, log in or ping; anything else is NotAuthenticated and the end.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class PreLoginTests
{
    private static readonly Command[] s_commands =
    [
        new(ChatCommand.RequestUsers, EmptyPacket.Instance),
        new(ChatCommand.PublicMessage, new SendTextPacket(1, "hello")),
        new(ChatCommand.PrivateMessage, new SendTextPacket(2, "psst"), "alice"),
        // Commands only a server sends are refused the same way.
        new(ChatCommand.UserAuthenticated, new WelcomePacket("alice", 1, 0), "alice"),
        new(ChatCommand.UserConnected, new PresencePacket("alice", 0), "alice"),
        new(ChatCommand.ServerNotice, new NoticePacket(0, "fake notice")),
        new(ChatCommand.Error, new ErrorPacket(ErrorCode.None, "fake error")),
    ];

    [Test]
    public async Task Non_login_command_gets_NotAuthenticated_then_the_server_closes(
        [ValueSource(nameof(s_commands))] Command command, [Values] bool afterHello)
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.ConnectRawAsync();
        if (afterHello)
        {
            await raw.HelloAsync();
        }
        else
        {
            (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);
        }

        await raw.SendAsync(command.Code, command.Packet, command.Target);

        await raw.ExpectErrorThenCloseAsync(ErrorCode.NotAuthenticated);
        server.Server.OnlineCount.Should().Be(0);
    }

    [Test]
    public async Task ServerHello_is_the_first_frame_even_when_a_Ping_comes_with_the_connection()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        // A race: the Ping is read while ServerHello may still be queued. Pong used to jump the queue about one
        // time in three, so 20 connections all but always caught it.
        for (int i = 0; i < 20; i++)
        {
            await using var raw = await server.ConnectRawAsync();
            await raw.SendAsync(ChatCommand.Ping, new PingPacket((ulong)i));

            (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello, "ServerHello comes first (connection {0})", i);
            (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Pong);
        }
    }

    [Test]
    public async Task Login_command_before_Hello_gets_ProtocolViolation_then_the_server_closes(
        [Values(ChatCommand.RequestLogin, ChatCommand.Register, ChatCommand.Logout)] ChatCommand command)
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true }, "alice");
        await using var raw = await server.ConnectRawAsync();
        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);

        await raw.SendAsync(command, command == ChatCommand.Logout ? EmptyPacket.Instance : new LoginPacket("alice", TestServer.Password));

        await raw.ExpectErrorThenCloseAsync(ErrorCode.ProtocolViolation);
        server.Server.OnlineCount.Should().Be(0);
    }

    [Test]
    public async Task ClientHello_with_another_version_gets_UnsupportedVersion_then_the_server_closes()
    {
        await using var server = await TestServer.StartAsync();
        await using var raw = await server.ConnectRawAsync();
        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);

        await raw.SendAsync(ChatCommand.Hello, new ClientHelloPacket(1, "a 2008 client"));

        await raw.ExpectErrorThenCloseAsync(ErrorCode.UnsupportedVersion);
    }

    [Test]
    public async Task Second_Hello_gets_ProtocolViolation_then_the_server_closes()
    {
        await using var server = await TestServer.StartAsync();
        await using var raw = await server.ConnectRawAsync();
        await raw.HelloAsync();

        await raw.SendAsync(ChatCommand.Hello, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "again"));

        await raw.ExpectErrorThenCloseAsync(ErrorCode.ProtocolViolation);
    }

    [Test]
    public async Task Logout_before_login_closes_the_connection_without_an_Error_frame()
    {
        await using var server = await TestServer.StartAsync();
        await using var raw = await server.ConnectRawAsync();
        await raw.HelloAsync();

        await raw.SendAsync(ChatCommand.Logout, EmptyPacket.Instance);

        await raw.ExpectClosedAsync();
    }

    [Test]
    public async Task Frames_sent_one_byte_at_a_time_are_reassembled()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.ConnectRawAsync();
        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);
        byte[] bytes =
        [
            .. FrameCodec.Serialize(ChatCommand.Hello, "", new ClientHelloPacket(ProtocolLimits.CurrentVersion, "trickle")),
            .. FrameCodec.Serialize(ChatCommand.RequestLogin, "", new LoginPacket("alice", TestServer.Password)),
        ];

        foreach (byte b in bytes)
        {
            await raw.SendBytesAsync(new[] { b });
        }

        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.UserAuthenticated);
    }

    [Test]
    public async Task Several_frames_in_one_write_are_each_handled()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.ConnectRawAsync();
        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);

        await raw.SendBytesAsync((byte[])
        [
            .. FrameCodec.Serialize(ChatCommand.Hello, "", new ClientHelloPacket(ProtocolLimits.CurrentVersion, "batch")),
            .. FrameCodec.Serialize(ChatCommand.Ping, "", new PingPacket(7)),
            .. FrameCodec.Serialize(ChatCommand.RequestLogin, "", new LoginPacket("alice", TestServer.Password)),
        ]);

        var pong = await raw.ReadFrameAsync();
        pong!.Command.Should().Be(ChatCommand.Pong);
        ((PingPacket)pong.Packet).Nonce.Should().Be(7);
        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.UserAuthenticated);
    }

    [Test]
    public async Task Ping_before_login_is_answered_and_the_login_still_works()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.ConnectRawAsync();
        await raw.HelloAsync();

        await raw.SendAsync(ChatCommand.Ping, new PingPacket(42));

        var pong = await raw.ReadFrameAsync();
        pong!.Command.Should().Be(ChatCommand.Pong);
        ((PingPacket)pong.Packet).Nonce.Should().Be(42);
        await raw.SendAsync(ChatCommand.RequestLogin, new LoginPacket("alice", TestServer.Password));
        (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.UserAuthenticated);
    }

    /// <summary>One frame a client sends before login; named by its command in the test list.</summary>
    public sealed record Command(ChatCommand Code, IPacket Packet, string Target = "")
    {
        public override string ToString() => Code.ToString();
    }
}
