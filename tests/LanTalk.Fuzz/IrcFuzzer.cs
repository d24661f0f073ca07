using System.Text;
using LanTalk.Server.Irc;

namespace LanTalk.Fuzz;

/// <summary>
/// Feeds mutated IRC traffic to the gateway's line framer and parser, split at a random offset as a socket would.
/// Neither may throw, a line may never exceed the framer's bound, and one input must cost a bounded allocation.
/// </summary>
internal static class IrcFuzzer
{
    // The framer's buffer is fixed; what parsing one ~9 KB line allocates is a few strings and lists.
    private const long AllocationBudget = 4L * 1024 * 1024;

    public static IReadOnlyList<byte[]> Seeds { get; } =
    [
        .. new[]
        {
            "CAP LS 302\r\nNICK alice\r\nUSER alice 0 * :Alice A\r\n",
            "AUTHENTICATE PLAIN\r\nAUTHENTICATE YWxpY2UAYWxpY2UAcGFzc3dvcmQ=\r\nCAP END\r\n",
            "@label=1;+draft/reply=abc\\s\\:x :alice!a@h PRIVMSG #lobby :hello \u0001ACTION waves\u0001\r\n",
            "PASS :alice:correct horse\r\nJOIN #lobby,#other key\r\nPART #lobby :bye\r\n",
            "MODE #lobby +b\nWHO #lobby\nWHOIS alice\nLIST\nNAMES\nTOPIC #lobby :new topic\n",
            "PING :12345\r\nPONG lantalk\r\nQUIT :gone\r\n",
        }.Select(Encoding.UTF8.GetBytes),
        Encoding.ASCII.GetBytes("@" + new string('a', 8300) + " PRIVMSG x :" + new string('y', 600) + "\r\n"),
    ];

    public static string? Run(byte[] input, int split)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var framer = new IrcLineFramer();
            Feed(framer, input.AsSpan(0, Math.Min(split, input.Length)));
            Feed(framer, input.AsSpan(Math.Min(split, input.Length)));
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > AllocationBudget + (input.Length * 8L) ? $"{input.Length} bytes of IRC allocated {allocated} bytes" : null;
    }

    private static void Feed(IrcLineFramer framer, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var space = framer.FreeSpace.Span;
            int n = Math.Min(space.Length, data.Length);
            data[..n].CopyTo(space);
            framer.Advance(n);
            data = data[n..];
            while (framer.TryTake(out var line) is var result && result != IrcFrameResult.NeedMore)
            {
                if (result == IrcFrameResult.Line)
                {
                    if (line.Length > IrcLimits.MaxFramedBytes + 1)
                    {
                        throw new InvalidOperationException($"the framer returned a {line.Length}-byte line");
                    }

                    if (IrcParser.TryParse(line, out var message) == IrcParseError.None)
                    {
                        // What the gateway would send back must stay one line, whatever the input held.
                        var echo = IrcLine.Build(null, "x!x@h", "PRIVMSG", "#lobby", message!.Param(message.Params.Count - 1));
                        if (Array.IndexOf(echo, (byte)'\n') != echo.Length - 1 || Array.IndexOf(echo, (byte)'\r') != echo.Length - 2)
                        {
                            throw new InvalidOperationException("an outgoing line held a line break from the input");
                        }
                    }
                }
            }
        }
    }
}
