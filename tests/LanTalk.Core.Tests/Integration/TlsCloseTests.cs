using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A TLS connection whose peer is already gone (reset, or closed after its close_notify) must still end, whether or
/// not we were saying goodbye. A kicked lantalk session once never saw its end: OpenSSL's own exception type escaped
/// the write loop (ChatConnectionStreamFaultTests pins that class of failure down; these run the real TLS stack).
/// </summary>
[TestFixture]
public sealed class TlsCloseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_connection_whose_peer_is_gone_completes_and_RunAsync_returns_the_reason(
        [Values(true, false)] bool finalFrame, [Values(true, false)] bool closeNotify)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var server = await accept;

        using var certificate = SelfSigned();
        await using var serverTls = new SslStream(new NetworkStream(server, ownsSocket: false));
        // Pinned, as lantalk pins the server's fingerprint.
        await using var clientTls = new SslStream(new NetworkStream(client, ownsSocket: false), false, (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString());
        await Task.WhenAll(
            serverTls.AuthenticateAsServerAsync(certificate),
            clientTls.AuthenticateAsClientAsync("localhost"));

        var connection = new ChatConnection(clientTls, ChatConnectionOptions.Default, client);
        var run = connection.RunAsync((_, _) => { });

        if (closeNotify)
        {
            // As the server ends a session: its close_notify and FIN, then the socket is closed.
            await serverTls.ShutdownAsync();
            server.Shutdown(SocketShutdown.Both);
        }

        // An abortive close: the peer's kernel answers everything after this with a reset.
        server.LingerState = new LingerOption(true, 0);
        server.Close();

        if (finalFrame)
        {
            // A close with a last frame (the client saying goodbye) races the reset; either way the connection ends.
            connection.Close(DisconnectReason.Local("leaving"), new ErrorPacket(ErrorCode.None, "bye"));
        }

        var reason = await run.WaitAsync(Timeout);
        (await connection.Completion.WaitAsync(Timeout)).Should().BeSameAs(reason);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // An ephemeral key cannot serve TLS on Linux: export and load it again, as the server does.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
