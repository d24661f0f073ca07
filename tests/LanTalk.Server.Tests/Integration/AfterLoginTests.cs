using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// After login, Hello, RequestLogin and Register are the client's ProtocolViolation, never our crash: the session
/// fuzzer once found that a RequestLogin after login reached the v3 room handler as a Login body and ended the
/// session as an internal error.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AfterLoginTests
{
    private static readonly (ChatCommand Command, IPacket Packet)[] s_loginPhaseFrames =
    [
        (ChatCommand.Hello, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "again")),
        (ChatCommand.RequestLogin, new LoginPacket("alice", "whatever")),
        (ChatCommand.Register, new LoginPacket("newcomer", "long enough password")),
    ];

    [Test]
    public async Task A_login_phase_frame_after_login_gets_ProtocolViolation_and_the_server_closes([Range(0, 2)] int which)
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        await using var raw = await server.LoginRawAsync("alice");
        var (command, packet) = s_loginPhaseFrames[which];

        await raw.SendAsync(command, packet);

        // A v3 login also brings the default room's info and members first; the answer follows them.
        var error = await raw.ReadUntilAsync(f => f.Command is ChatCommand.Error or ChatCommand.ServerDisconnected, $"the answer to {command}");
        error.Command.Should().Be(ChatCommand.Error);
        ((ErrorPacket)error.Packet).Code.Should().Be(ErrorCode.ProtocolViolation, ((ErrorPacket)error.Packet).Text);
        await raw.ExpectClosedAsync();
        server.Server.InternalErrorCount.Should().Be(0, "a client's misplaced frame is its violation, not a server bug");
    }
}
