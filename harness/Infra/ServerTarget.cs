using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using LanTalk.Core.Transport;

namespace LanTalk.Harness.Infra;

/// <summary>How bytes travel to the server. TLS becomes the default once the server defaults to it.</summary>
internal enum Transport
{
    Plaintext,
    Tls,
}

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
                socket.ReceiveBufferSize = receiveBuffer;
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

    private async Task<Stream> WrapTlsAsync(Stream stream, CancellationToken cancellationToken)
    {
        // The harness measures the server; it does not decide trust, so any certificate is accepted.
#pragma warning disable CA5359
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = Host }, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override string ToString() => $"{Host}:{Port} ({(Transport == Transport.Tls ? "TLS" : "plaintext")})";
}

/// <summary>Test accounts: many cheap-hash users for load, and optionally one at the production hash cost.</summary>
internal sealed record UserPool(IReadOnlyList<string> Names, string Password, string? ProductionUser = null, string? ProductionPassword = null)
{
    public string this[int index] => Names[index];

    public int Count => Names.Count;
}
