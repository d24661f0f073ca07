using System.Net.Security;
using System.Net.Sockets;

namespace LanTalk.Core.Transport;

public sealed partial class ChatConnection
{
    /// <summary>
    /// How long the current write has been blocked, in ms (0 when nothing is being written). A peer that stopped
    /// reading shows up here once the kernel's send buffer is full; the server cuts it off past a limit.
    /// </summary>
    public long WriteBlockedMs(long nowTicks) => _output.WriteBlockedMs(nowTicks);

    private async Task WriteLoopAsync()
    {
        try
        {
            await _output.DrainAsync().ConfigureAwait(false);
            await HalfCloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any failure of the stream, not only IOException: on Linux an SslStream whose peer is gone can throw
            // OpenSSL's own exception type from its close_notify (a kicked client's connection then never ended).
            SetReason(new DisconnectReason(DisconnectKind.ConnectionLost, Protocol.ErrorCode.None, Describe(ex)));
        }
        finally
        {
            // The queue is done: give the peer the linger time to read our last frame, then stop reading.
            _readCancel.CancelAfter(_options.CloseLinger);
        }
    }

    /// <summary>Signals end of output (TLS close_notify, then FIN) while still reading, so our last frame arrives intact.</summary>
    private async ValueTask HalfCloseAsync()
    {
        if (_stream is SslStream ssl)
        {
            await ssl.ShutdownAsync().ConfigureAwait(false);
        }

        _socket?.Shutdown(SocketShutdown.Send);
    }
}
