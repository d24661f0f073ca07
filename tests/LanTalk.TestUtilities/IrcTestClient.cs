using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace LanTalk.TestUtilities;

/// <summary>
/// A bare IRC client over a real socket: writes lines as given and reads lines into a queue, so a test can wait
/// (with a timeout) for the line it expects. It interprets nothing, so it can also send what real clients never do.
/// </summary>
public sealed class IrcTestClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Task _reader;

    private IrcTestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Every line received so far, in order (also those a wait skipped over).</summary>
    public List<string> Seen { get; } = [];

    public static async Task<IrcTestClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new IrcTestClient(tcp);
    }

    /// <summary>Connects and registers with SASL PLAIN (or as a guest when <paramref name="password"/> is null); waits for 001.</summary>
    public static async Task<IrcTestClient> RegisterAsync(int port, string nick, string? password = TestServer.Password, string caps = "")
    {
        var client = await ConnectAsync(port);
        await client.SendAsync("CAP LS 302");
        var wanted = (password is null ? caps : ("sasl " + caps)).Trim();
        if (wanted.Length > 0)
        {
            await client.SendAsync("CAP REQ :" + wanted);
            await client.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        }

        if (password is not null)
        {
            await client.AuthenticatePlainAsync(nick, password);
        }

        await client.SendAsync("CAP END");
        await client.SendAsync($"NICK {nick}");
        await client.SendAsync($"USER {nick} 0 * :{nick}");
        await client.ExpectAsync(l => l.Contains(" 001 ", StringComparison.Ordinal), "001 welcome");
        await client.ExpectAsync(l => l.Contains(" 422 ", StringComparison.Ordinal), "422 end of the registration burst");
        return client;
    }

    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    /// <summary>A SASL PLAIN exchange as <paramref name="user"/> (the sasl cap already acknowledged); waits for 903.</summary>
    public async Task AuthenticatePlainAsync(string user, string password)
    {
        await SendAsync("AUTHENTICATE PLAIN");
        await ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");
        await SendAsync("AUTHENTICATE " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}\0{user}\0{password}")));
        await ExpectAsync(l => l.Contains(" 903 ", StringComparison.Ordinal), "903 SASL success");
    }

    /// <summary>JOINs <paramref name="channel"/> as <paramref name="nick"/> and waits for its 366 (end of NAMES): the join is done.</summary>
    public async Task JoinAsync(string nick, string channel)
    {
        await SendAsync("JOIN " + channel);
        await ExpectAsync(l => l.Contains($" 366 {nick} {channel} ", StringComparison.Ordinal), $"{nick}'s 366 for {channel}");
    }

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next line that matches, skipping others; fails after <see cref="Wait.Timeout"/> naming <paramref name="what"/>.</summary>
    public async Task<string> ExpectAsync(Func<string, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(timeout.Token);
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"timed out waiting for {what}; lines seen: {string.Join(" | ", Snapshot().TakeLast(15))}");
        }
        catch (ChannelClosedException)
        {
            throw new AssertionException($"the server closed the connection while waiting for {what}; lines seen: {string.Join(" | ", Snapshot().TakeLast(15))}");
        }
    }

    /// <summary>
    /// Sends <paramref name="command"/> and <c>PING :token</c> in one write and returns the lines that came before the
    /// PONG: on this server PING is a barrier (docs/PROTOCOL.md), so they are the command's whole answer.
    /// </summary>
    public async Task<List<string>> LinesBeforePongAsync(string command, string token)
    {
        await SendRawAsync(Encoding.UTF8.GetBytes($"{command}\r\nPING :{token}\r\n"));
        var before = new List<string>();
        await ExpectAsync(
            line =>
            {
                if (line.Contains(" PONG ", StringComparison.Ordinal) && line.EndsWith(token, StringComparison.Ordinal))
                {
                    return true;
                }

                before.Add(line);
                return false;
            },
            "the PONG " + token);
        return before;
    }

    /// <summary>The line without its tags (<c>@a=b;c </c>), for checks of the rest whether or not server-time is on.</summary>
    public static string Untagged(string line) =>
        line.StartsWith('@') && line.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? line[(space + 1)..] : line;

    /// <summary>A line with this numeric or command as its second word.</summary>
    public Task<string> ExpectCommandAsync(string command) =>
        ExpectAsync(l => l.Split(' ').SkipWhile(w => w.StartsWith('@')).Skip(1).FirstOrDefault() == command, command);

    /// <summary>Closes our side (FIN): the server reads the end of the stream, and can still write.</summary>
    public void HalfClose() => _tcp.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);

    /// <summary>Waits for the server to close the connection; returns the lines it sent before.</summary>
    public async Task<List<string>> ExpectClosedAsync()
    {
        await Wait.ForAsync(_reader, "the server to close the connection");
        return Snapshot();
    }

    private List<string> Snapshot()
    {
        lock (Seen)
        {
            return [.. Seen];
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = new StreamReader(_stream, Encoding.UTF8);
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (Seen)
                {
                    Seen.Add(line);
                }

                _lines.Writer.TryWrite(line);
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await _reader.ConfigureAwait(false);
    }
}
