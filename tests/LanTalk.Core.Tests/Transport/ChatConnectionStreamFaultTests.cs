using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Transport;

/// <summary>
/// Whatever exception the stream throws, the connection ends as lost and completes. An SslStream on Linux can throw
/// OpenSSL's own exception type, which is not an IOException; before, it escaped the loops and the connection never
/// completed, so its owner (a lantalk session after a kick) waited for an end that never came.
/// </summary>
public sealed class ChatConnectionStreamFaultTests
{
    [Test]
    public async Task A_write_that_throws_an_unexpected_type_ends_the_connection_as_lost()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        test.Faults.WriteFault = new InvalidOperationException("SSL_write failed (as OpenSSL's SslException)");

        test.Connection.Send(ChatCommand.PublicMessage, string.Empty, new ChatMessagePacket(1, 1_732_000_000_000, "alice", 1, "hello"));

        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.ConnectionLost);
        reason.Message.Should().Be("InvalidOperationException: SSL_write failed (as OpenSSL's SslException)", "an unusual failure names its type in the log");
    }

    [Test]
    public async Task A_read_that_throws_an_unexpected_type_ends_the_connection_as_lost()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        test.Faults.ReadFault = new InvalidOperationException("SSL_read failed (as OpenSSL's SslException)");

        await test.Peer.SendAsync(new byte[] { 0, 0, 0, 4 });

        var reason = await test.ClosedAsync();
        reason.Kind.Should().Be(DisconnectKind.ConnectionLost);
        reason.Message.Should().Be("InvalidOperationException: SSL_read failed (as OpenSSL's SslException)", "an unusual failure names its type in the log");
    }

    [Test]
    public async Task A_close_whose_final_write_throws_an_unexpected_type_still_completes()
    {
        await using var test = new ConnectionUnderTest();
        test.Start();
        test.Faults.WriteFault = new InvalidOperationException("close_notify failed");

        test.Connection.Close(DisconnectReason.Local("kicked"), new ErrorPacket(ErrorCode.None, "bye"));

        (await test.ClosedAsync()).Message.Should().Be("kicked", "the reason the close started with is kept");
    }
}
