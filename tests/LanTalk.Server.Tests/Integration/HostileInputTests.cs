using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Bytes no honest client sends: each ends that one session with the right Error, and the server serves on.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class HostileInputTests
{
    private static readonly Input[] s_inputs =
    [
        new("unknown command", Frame(99, PacketType.Empty, []), ErrorCode.ProtocolViolation),
        new("unknown packet type", Frame((int)ChatCommand.RequestLogin, (PacketType)999, []), ErrorCode.ProtocolViolation),
        new("command with the wrong packet type", Frame((int)ChatCommand.RequestLogin, PacketType.Ping, new byte[8]), ErrorCode.ProtocolViolation),
        // Only the 4-byte prefix is sent: the server must answer at once instead of waiting for 64 KiB + 1.
        new("length prefix over MaxFrameSize", Prefix(ProtocolLimits.Default.MaxFrameSize + 1), ErrorCode.FrameTooLarge),
        new("negative length prefix", Prefix(-1), ErrorCode.FrameTooLarge),
        new("length prefix shorter than a header", Prefix(3), ErrorCode.ProtocolViolation),
        new("HTTP request", Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: lantalk\r\n\r\n"), ErrorCode.FrameTooLarge),
        new("login whose string runs past the body", Frame((int)ChatCommand.RequestLogin, PacketType.Login, [200, 0, (byte)'a']), ErrorCode.ProtocolViolation),
        new("login with invalid UTF-8", Frame((int)ChatCommand.RequestLogin, PacketType.Login, [2, 0, 0xC3, 0x28, 0, 0]), ErrorCode.ProtocolViolation),
        new("target length past the frame", [8, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0], ErrorCode.ProtocolViolation),
    ];

    [Test]
    public async Task Hostile_input_gets_the_right_Error_then_close_and_the_server_serves_a_fresh_client(
        [ValueSource(nameof(s_inputs))] Input input)
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using (var raw = await server.ConnectRawAsync())
        {
            await raw.HelloAsync();

            await raw.SendBytesAsync(input.Bytes);

            await raw.ExpectErrorThenCloseAsync(input.Expected);
        }

        await using var fresh = await server.LoginAsync("alice");
        (await fresh.SendPublicAsync("still serving")).Text.Should().Be("still serving");
    }

    [Test]
    public async Task Logged_in_client_that_sends_a_server_only_command_gets_ProtocolViolation_then_close()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var bob = await server.LoginProbeAsync("bob");
        await using var b = bob.Client;
        await using (var raw = await server.LoginRawAsync("alice"))
        {
            await bob.Joined.WaitForAsync(n => n == "alice", "bob sees alice join");
            await raw.SendAsync(ChatCommand.UserConnected, new PresencePacket("mallory", 0), "mallory");

            await raw.ExpectErrorThenCloseAsync(ErrorCode.ProtocolViolation);
        }

        await bob.Left.WaitForAsync(n => n == "alice", "bob sees alice leave");
        bob.Joined.Items.Should().NotContain("mallory");
    }

    private static byte[] Prefix(int length) => new Bytes().I32(length).ToArray();

    /// <summary>A frame with an empty target and a free-form body, whatever the command and type.</summary>
    private static byte[] Frame(int command, PacketType type, byte[] body) => Bytes.Frame(Bytes.Payload(command, [], (int)type, body));

    /// <summary>Named bytes for the test list.</summary>
    public sealed record Input(string Name, byte[] Bytes, ErrorCode Expected)
    {
        public override string ToString() => Name;
    }
}
