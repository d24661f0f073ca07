using System.Text;
using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>
/// A message rendered for IRC (IrcSession.RenderMessage): every line within 512 bytes with CR LF, tags not counted,
/// and the lines' texts joined give the message back, whatever UTF-8 the sender, the target and the text hold.
/// </summary>
[TestFixture]
public sealed class IrcMessageLinesTests
{
    // Names as long as the server allows: up to 128 UTF-8 bytes, up to 128 characters (PROTOCOL.md, Limits).
    private static readonly string[] Senders =
    [
        "alice", "Jürgen", "Ελένη", "王小明", new string('é', 30), new string('d', 128), new string('中', 42), new string('é', 64),
    ];

    private static readonly string[] Targets =
    [
        "#lobby", "#κουζίνα", "#" + new string('中', 42), "#" + new string('r', 128), "Ελένη", new string('文', 42),
    ];

    private static readonly string[] Texts =
    [
        string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i:000}")),
        string.Join(' ', Enumerable.Range(0, 200).Select(i => $"слово{i}")),
        string.Concat(Enumerable.Repeat("ü€😀a", 400)),
        "see " + new string('中', 900) + " and " + new string('x', 1500),
        string.Join(' ', Enumerable.Range(0, 60).Select(i => string.Concat(Enumerable.Repeat("😀", 10 + (i % 7))))),
        "line one\n" + string.Join(' ', Enumerable.Range(0, 150).Select(i => $"Ωmega{i}")) + "\r\nlast",
    ];

    [Test]
    public void A_long_message_reaches_irc_whole_whatever_the_utf8_length_of_its_sender_target_and_text()
    {
        var wrong = new List<string>();
        foreach (string from in Senders)
        {
            foreach (string target in Targets)
            {
                foreach (string text in Texts)
                {
                    foreach (string command in new[] { "PRIVMSG", "NOTICE" })
                    {
                        foreach (var caps in new[] { (IrcCaps)0, IrcSession.TagCaps })
                        {
                            Check(wrong, caps, from, command, target, text, action: false);
                        }
                    }

                    Check(wrong, IrcSession.TagCaps, from, "PRIVMSG", target, text, action: true);
                }
            }
        }

        wrong.Should().BeEmpty();
    }

    [Test]
    public void A_message_whose_lines_start_with_ctcp_delimiters_still_fits_and_keeps_every_character()
    {
        // A \x01 that would start a line is written as U+FFFD (3 bytes for 1), and an action's are all (NoCtcp, ActionLine).
        string text = string.Join('\n', Enumerable.Range(0, 8).Select(i => "\u0001" + new string('ü', 300 + i)));
        var wrong = new List<string>();
        foreach (string from in Senders)
        {
            Check(wrong, 0, from, "PRIVMSG", "#" + new string('中', 42), text, action: false);
            Check(wrong, 0, from, "PRIVMSG", "#" + new string('中', 42), "x \u0001" + new string('ü', 2000), action: true);
        }

        wrong.Should().BeEmpty();
    }

    private static void Check(List<string> wrong, IrcCaps caps, string from, string command, string target, string text, bool action)
    {
        byte[][] lines = IrcSession.RenderMessage(caps, from, command, target, text, action, 1_765_000_000_000, 42, null, null);
        string prefix = $":{from}!{from}@lantalk {command} {target} :";
        var pieces = new List<string>();
        foreach (byte[] bytes in lines)
        {
            string line = Encoding.UTF8.GetString(bytes);
            string body = line.StartsWith('@') ? line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..] : line;
            int size = Encoding.UTF8.GetByteCount(body);
            if (size > IrcLimits.MaxLineBytes || !body.StartsWith(prefix, StringComparison.Ordinal) || !body.EndsWith("\r\n", StringComparison.Ordinal))
            {
                wrong.Add($"{command} from {from} to {target}: a line of {size} bytes: {body[..Math.Min(80, body.Length)]}");
                return;
            }

            string piece = body[prefix.Length..^2];
            pieces.Add(action ? piece["\u0001ACTION ".Length..^1] : piece);
        }

        // Line breaks become line ends (blank lines dropped), and \x01 may show as U+FFFD: nothing else may change.
        string expected = string.Concat(text.Split('\n').Select(l => l.TrimEnd('\r'))).Replace('\u0001', '\uFFFD');
        string joined = string.Concat(pieces).Replace('\u0001', '\uFFFD');
        if (joined != expected)
        {
            int at = Enumerable.Range(0, Math.Min(joined.Length, expected.Length)).FirstOrDefault(i => joined[i] != expected[i]);
            wrong.Add($"{command} from {from} to {target}{(action ? " (action)" : string.Empty)}: {lines.Length} lines, text differs at {at} of {expected.Length}");
        }
    }
}
