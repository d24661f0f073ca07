using System.Net;
using System.Net.Sockets;
using System.Text;
using LanTalk.Harness.Infra;
using LanTalk.Harness.Load;

namespace LanTalk.Harness.Irc;

/// <summary>
/// One IRC client of the peer benchmark: registers (NICK/USER), joins the bench channel, sends PRIVMSGs whose text
/// carries the sender, a sequence number and the intended send time, and checks every PRIVMSG it receives for
/// loss, duplicates and per-sender order. Only what <see cref="IrcLoad"/> needs; not a general IRC client.
/// With a password it logs in with <c>PASS nick:password</c> first (lantalk-server's accounts).
/// </summary>
internal sealed class IrcClient(int index, string nick, string? password, int senders, LatencyHistogram latency) : IDisposable
{
    public const string Channel = "#bench";

    private static readonly byte[] s_privmsg = Encoding.ASCII.GetBytes(" PRIVMSG ");
    private static readonly byte[] s_channel = Encoding.ASCII.GetBytes(" " + Channel + " ");
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly int[] _lastSeq = new int[senders];
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sendLock = new();
    private byte[] _line = [];

    public int Index { get; } = index;

    public string Nick { get; } = nick;

    public int Sent { get; private set; }

    /// <summary>PRIVMSGs received: each one a delivery (IRC does not echo a message to its sender).</summary>
    public long Unique => Volatile.Read(ref _unique);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long OrderViolations => Volatile.Read(ref _order);

    public long LastReceiveTicks => Volatile.Read(ref _lastReceive);

    public string? Failure { get; private set; }

    private long _unique;
    private long _duplicates;
    private long _order;
    private long _lastReceive;

    /// <summary>How many of <paramref name="sender"/>'s messages this client has seen; burst flow control reads it.</summary>
    public int SeenFrom(int sender) => Volatile.Read(ref _lastSeq[sender]);

    public async Task ConnectAsync(IPEndPoint server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await _socket.ConnectAsync(server, limit.Token).ConfigureAwait(false);
        _ = Task.Run(ReadLoopAsync, CancellationToken.None);
        SendLine($"{(password is null ? string.Empty : $"PASS {Nick}:{password}\r\n")}NICK {Nick}\r\nUSER {Nick} 0 * :lantalk-harness\r\n");
        await _registered.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        SendLine($"JOIN {Channel}\r\n");
        await _joined.Task.WaitAsync(limit.Token).ConfigureAwait(false);
    }

    /// <summary>Sends message number <paramref name="seq"/> (from 1), stamped with the intended send time, padded to <paramref name="size"/> bytes of text.</summary>
    public void SendMessage(int seq, long intendedTicks, int size)
    {
        var text = $"PRIVMSG {Channel} :{Index} {seq} {intendedTicks} ";
        int pad = Math.Max(0, size - (text.Length - $"PRIVMSG {Channel} :".Length));
        int length = text.Length + pad + 2;
        if (_line.Length < length)
        {
            _line = new byte[length];
        }

        int n = Encoding.ASCII.GetBytes(text, _line);
        _line.AsSpan(n, pad).Fill((byte)'x');
        _line[n + pad] = (byte)'\r';
        _line[n + pad + 1] = (byte)'\n';
        SendBytes(_line.AsSpan(0, length));
        Sent = seq;
    }

    private void SendLine(string line) => SendBytes(Encoding.ASCII.GetBytes(line));

    private void SendBytes(ReadOnlySpan<byte> bytes)
    {
        // The scheduler thread and the read loop (PONG) both send: one at a time, whole lines.
        lock (_sendLock)
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[_socket.Send(bytes)..];
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        int used = 0;
        try
        {
            while (true)
            {
                if (used == buffer.Length)
                {
                    throw new IOException("an IRC line longer than 64 KiB");
                }

                int n = await _socket.ReceiveAsync(buffer.AsMemory(used), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    Failure ??= "the server closed the connection";
                    break;
                }

                used += n;
                int start = 0;
                while (buffer.AsSpan(start, used - start).IndexOf((byte)'\n') is var end and >= 0)
                {
                    OnLine(buffer.AsSpan(start, end).TrimEnd((byte)'\r'));
                    start += end + 1;
                }

                buffer.AsSpan(start, used - start).CopyTo(buffer);
                used -= start;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Failure ??= ex.Message;
        }

        _registered.TrySetException(new IOException(Failure));
        _joined.TrySetException(new IOException(Failure));
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        int privmsg = line.IndexOf(s_privmsg);
        if (privmsg >= 0)
        {
            int colon = line[privmsg..].IndexOf(" :"u8);
            if (colon >= 0)
            {
                OnMessage(line[(privmsg + colon + 2)..]);
            }

            return;
        }

        if (line.StartsWith("PING "u8))
        {
            SendLine($"PONG {Encoding.ASCII.GetString(line[5..])}\r\n");
            return;
        }

        // ":server 001 nick :Welcome" and ":server 366 nick #bench :End of /NAMES list." (lantalk-server also
        // joins its users to the default room at login, whose 366 must not count as the bench channel's.)
        if (line.Length > 0 && line[0] == (byte)':' && line.IndexOf((byte)' ') is var space and > 0 && line.Length >= space + 4)
        {
            var code = line.Slice(space + 1, 3);
            if (code.SequenceEqual("001"u8))
            {
                _registered.TrySetResult();
            }
            else if (code.SequenceEqual("366"u8) && line.IndexOf(s_channel) >= 0)
            {
                _joined.TrySetResult();
            }
            else if ((code[0] == (byte)'4' || code[0] == (byte)'5') && !code.SequenceEqual("422"u8))
            {
                // 4xx/5xx: a refused nick, a full class, a flood limit: the run must say so (422 is only "no MOTD").
                Failure ??= Encoding.ASCII.GetString(line);
            }
        }
        else if (line.StartsWith("ERROR"u8))
        {
            Failure ??= Encoding.ASCII.GetString(line);
        }
    }

    private void OnMessage(ReadOnlySpan<byte> text)
    {
        long now = Clock.Now;
        if (!TryNumber(ref text, out long sender) || !TryNumber(ref text, out long seq) || !TryNumber(ref text, out long sentTicks) || sender < 0 || sender >= _lastSeq.Length)
        {
            return;
        }

        Volatile.Write(ref _lastReceive, now);
        int last = _lastSeq[sender];
        if (seq <= last)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        if (seq != last + 1)
        {
            Interlocked.Increment(ref _order);
        }

        Volatile.Write(ref _lastSeq[sender], (int)seq);
        Interlocked.Increment(ref _unique);
        latency.Record((long)Clock.ToMicroseconds(now - sentTicks), Index);
    }

    private static bool TryNumber(ref ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && text[i] >= (byte)'0' && text[i] <= (byte)'9')
        {
            value = (value * 10) + (text[i] - '0');
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        text = text[Math.Min(i + 1, text.Length)..];
        return true;
    }

    public void Dispose() => _socket.Dispose();
}
