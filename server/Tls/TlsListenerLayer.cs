using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tls;

/// <summary>
/// Server side of TLS. Peeks at the first byte before the handshake: a TLS client opens with a handshake record
/// (0x16), while a plaintext LanTalk client opens with its Hello frame. The latter gets a plaintext Error frame
/// that says exactly what is wrong, instead of a handshake that hangs or fails with a cryptic message.
/// </summary>
internal sealed class TlsListenerLayer(ServerCertificate certificate, TimeSpan handshakeTimeout)
{
    private readonly SslStreamCertificateContext _context = SslStreamCertificateContext.Create(certificate.Certificate, null);

    public async ValueTask<Stream> WrapAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(handshakeTimeout);
        if (!await PlaintextProbe.OpensWithTlsAsync(stream, timeout.Token).ConfigureAwait(false))
        {
            await PlaintextProbe.RefuseAsync(stream, FrameCodec.Serialize(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.ProtocolViolation,
                "this server requires TLS; connect without --plaintext (the server's TlsMode is Required)"))).ConfigureAwait(false);
            throw new AuthenticationException("a plaintext client connected to the TLS port; it was told to use TLS");
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _context,
                ClientCertificateRequired = false,
            }, timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
