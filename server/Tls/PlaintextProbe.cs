using System.Net.Sockets;

namespace LanTalk.Server.Tls;

/// <summary>
/// Tells a TLS client from a plaintext one by the first byte it sends (a TLS client opens with a handshake record,
/// 0x16), and turns a plaintext one away with a message in its own protocol, instead of a handshake that hangs or
/// fails with nothing to read. Shared by the ChatSocket and the IRC TLS ports.
/// </summary>
internal static class PlaintextProbe
{
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>Peeks at the first byte; true when it opens a TLS handshake. IOException when the client left first.</summary>
    public static async ValueTask<bool> OpensWithTlsAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var first = new byte[1];
        int read = await stream.Socket.ReceiveAsync(first, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("closed before the TLS handshake");
        }

        return first[0] == TlsHandshakeRecord;
    }

    /// <summary>Sends <paramref name="refusal"/> in plaintext, then closes our side after draining the client's input.</summary>
    public static async Task RefuseAsync(NetworkStream stream, ReadOnlyMemory<byte> refusal)
    {
        await stream.WriteAsync(refusal).ConfigureAwait(false);
        stream.Socket.Shutdown(SocketShutdown.Send);
        // Drain what the client already sent so closing does not reset the connection and destroy the refusal.
        var sink = new byte[1024];
        using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            while (await stream.ReadAsync(sink, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
