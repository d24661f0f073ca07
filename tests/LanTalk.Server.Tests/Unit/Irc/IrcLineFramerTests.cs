using System.Text;
using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>Line framing: CR LF or LF, any split of the input, and a bounded refusal of endless lines.</summary>
[TestFixture]
public sealed class IrcLineFramerTests
{
    private static List<string> Feed(IrcLineFramer framer, byte[] input, List<string>? results = null)
    {
        results ??= [];
        int offset = 0;
        while (offset < input.Length)
        {
            var space = framer.FreeSpace;
            int n = Math.Min(space.Length, input.Length - offset);
            input.AsSpan(offset, n).CopyTo(space.Span);
            framer.Advance(n);
            offset += n;
            while (true)
            {
                var result = framer.TryTake(out var line);
                if (result == IrcFrameResult.NeedMore)
                {
                    break;
                }

                results.Add(result == IrcFrameResult.TooLong ? "<too long>" : Encoding.UTF8.GetString(line));
            }
        }

        return results;
    }

    [Test]
    public void Splits_crlf_and_bare_lf_lines()
    {
        Feed(new IrcLineFramer(), "NICK a\r\nUSER a 0 * :a\nPING x\r\n"u8.ToArray()).Should().Equal("NICK a", "USER a 0 * :a", "PING x");
    }

    [Test]
    public void Every_split_point_gives_the_same_lines()
    {
        var input = "CAP LS 302\r\nNICK alice\r\nPRIVMSG #lobby :héllo wörld\r\n"u8.ToArray();
        for (int cut = 0; cut <= input.Length; cut++)
        {
            var framer = new IrcLineFramer();
            var lines = Feed(framer, input[..cut]);
            Feed(framer, input[cut..], lines);
            lines.Should().Equal(["CAP LS 302", "NICK alice", "PRIVMSG #lobby :héllo wörld"], $"split at {cut}");
        }
    }

    [Test]
    public void An_endless_line_is_reported_once_and_the_next_line_still_parses()
    {
        var framer = new IrcLineFramer();
        var flood = Enumerable.Repeat((byte)'x', 50_000).ToArray();
        var lines = Feed(framer, flood);
        Feed(framer, "more\r\nPING ok\r\n"u8.ToArray(), lines);

        lines.Should().Equal("<too long>", "PING ok");
        framer.Buffered.Should().Be(0);
    }
}
