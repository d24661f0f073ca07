using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Integration;

/// <summary>A login answer after the login is a frame the state does not allow: the session ends as a protocol violation.</summary>
[TestFixture]
public sealed class SecondWelcomeTests
{
    [Test]
    public async Task A_second_UserAuthenticated_after_the_login_ends_the_session_as_a_protocol_violation()
    {
        // It was taken silently, even for another user name, and its new session id made the client miss the echoes of
        // its own messages, reporting delivered ones as not confirmed (a hostile-server audit).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        byte[] Frame(ChatCommand command, string target, IPacket packet) => FrameCodec.Serialize(command, target, packet);
        var hello = Frame(ChatCommand.Hello, string.Empty, new ServerHelloPacket(2, 3, "scripted", 65536, 32, 4096, 30, 45, 1_700_000_000_000, ServerFeatures.None));
        var welcome = Frame(ChatCommand.UserAuthenticated, "alice", new WelcomePacket("alice", 7, 1_700_000_000_000));
        var list = Frame(ChatCommand.RequestUsers, "alice", new UserListPacket([new OnlineUser("alice", 1_700_000_000_000)]));
        var again = Frame(ChatCommand.UserAuthenticated, "mallory", new WelcomePacket("mallory", 99, 1_700_000_000_000));
        using var loggedIn = new SemaphoreSlim(0);
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var stream = peer.GetStream();
            await stream.WriteAsync(hello);
            var buffer = new byte[4096];
            // The client's Hello and Login arrive; their content does not matter to this script.
            await stream.ReadAtLeastAsync(buffer, 8);
            await stream.WriteAsync(welcome.Concat(list).ToArray());
            await loggedIn.WaitAsync(TimeSpan.FromSeconds(10));
            await stream.WriteAsync(again);
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (await stream.ReadAsync(buffer, drain.Token) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
            }
        });
        await using var client = new ChatClient(new ChatClientOptions { Version = 3 });
        var ended = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, reason) => ended.TrySetResult(reason);
        await client.ConnectAsync("127.0.0.1", port);
        (await client.LoginAsync("alice", "password1")).SessionId.Should().Be(7);

        loggedIn.Release();
        var reason = await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));

        reason.Kind.Should().Be(DisconnectKind.ProtocolViolation);
        reason.Message.Should().Contain("UserAuthenticated after the login");
        client.UserName.Should().Be("alice");
        await serve;
    }
}
