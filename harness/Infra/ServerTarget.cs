using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Security;
using LanTalk.Core.Transport;

namespace LanTalk.Harness.Infra;

/// <summary>The server under test, the transport to reach it, and the accounts the harness may use.</summary>
internal sealed record ServerTarget(string Host, int Port, Transport Transport, UserPool Users, int? ServerPid)
{
    public bool IsLoopback => IPAddress.TryParse(Host, out var ip) ? IPAddress.IsLoopback(ip) : Host == "localhost";

    /// <summary>The one connect helper: TCP (optionally from a chosen local address), then TLS when configured.</summary>
    public async Task<(Socket Socket, Stream Stream)> OpenAsync(CancellationToken cancellationToken, IPAddress? localAddress = null, int receiveBuffer = 0)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (receiveBuffer > 0)
            {
                // Set before connect so the advertised window is small from the first segment.
                SocketTuning.TrySetReceiveBuffer(socket, receiveBuffer);
            }

            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(Host, Port, cancellationToken).ConfigureAwait(false);
            SocketTuning.Apply(socket);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (Transport == Transport.Tls)
            {
                stream = await WrapTlsAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            return (socket, stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The server's SHA-256 certificate fingerprint, which the harness trusts as the reference client would: given
    /// with --trust, or read from a spawned server's data directory. Required for TLS.
    /// </summary>
    public string? TrustedFingerprint { get; init; }

    /// <summary>The TLS layer every harness client uses (raw peers, load clients, ChatClient): the reference client's, pinned to <see cref="TrustedFingerprint"/>.</summary>
    public StreamWrapper? TlsWrapper => Transport == Transport.Tls
        ? TlsClientLayer.Create((_, seen) => string.Equals(seen, TrustedFingerprint, StringComparison.Ordinal))
        : null;

    private async Task<Stream> WrapTlsAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await TlsWrapper!(stream, Host, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatClientException ex)
        {
            // Load and raw peers treat it as one more connection failure; checks that care use ChatClient directly.
            throw new IOException($"{ex.Failure}: {ex.Message}", ex);
        }
    }

    public override string ToString() => $"{Host}:{Port} ({(Transport == Transport.Tls ? "TLS" : "plaintext")})";
}
