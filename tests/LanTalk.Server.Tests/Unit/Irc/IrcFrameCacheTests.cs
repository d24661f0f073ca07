using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>
/// The per-thread translation cache: one fanned-out frame is parsed once and each distinct rendering (tag caps,
/// command, target) encoded once, and what it shares is exactly the line a recipient with those caps must see.
/// </summary>
[TestFixture]
public sealed class IrcFrameCacheTests
{
    // 2023-11-14T22:13:20.123Z
    private const long TimeMs = 1_700_000_000_123;

    private static byte[] MessageFrame(ChatCommand command, string target, string from, string text, ulong id = 42, ChatMessageKind kind = ChatMessageKind.Text)
    {
        var targetUtf8 = Encoding.UTF8.GetBytes(target);
        var fromUtf8 = Encoding.UTF8.GetBytes(from);
        var textUtf8 = Encoding.UTF8.GetBytes(text);
        var frame = new byte[ChatMessageFrame.Measure(targetUtf8.Length, fromUtf8.Length, textUtf8.Length)];
        ChatMessageFrame.Write(frame, command, targetUtf8, id, TimeMs, fromUtf8, 7, textUtf8, kind);
        return frame;
    }

    private static string[] Text(byte[][] lines) => lines.Select(l => Encoding.UTF8.GetString(l)).ToArray();

    [Test]
    public void A_fan_out_of_one_frame_parses_it_once_and_shares_the_encoded_lines()
    {
        var frame = MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "hello there");

        var first = IrcFrameCache.For(frame, ProtocolLimits.Default);
        var second = IrcFrameCache.For(frame, ProtocolLimits.Default);
        var linesA = first.MessageLines(IrcCaps.ServerTime, "PRIVMSG", first.Channel);
        var linesB = second.MessageLines(IrcCaps.ServerTime, "PRIVMSG", second.Channel);

        second.Should().BeSameAs(first);
        first.Command.Should().Be(ChatCommand.PublicMessage);
        first.Channel.Should().Be("#dev");
        second.Channel.Should().BeSameAs(first.Channel);
        linesB.Should().BeSameAs(linesA);
        Text(linesA).Should().Equal("@time=2023-11-14T22:13:20.123Z :alice!alice@lantalk PRIVMSG #dev :hello there\r\n");
    }

    [Test]
    public void Each_kind_of_recipient_gets_its_own_rendering_and_keeps_it()
    {
        var entry = IrcFrameCache.For(MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "hi"), ProtocolLimits.Default);

        var plain = entry.MessageLines(IrcCaps.None, "PRIVMSG", "#dev");
        var timed = entry.MessageLines(IrcCaps.ServerTime, "PRIVMSG", "#dev");
        var tagged = entry.MessageLines(IrcCaps.ServerTime | IrcCaps.MessageTags, "PRIVMSG", "#dev");
        var echoedNotice = entry.MessageLines(IrcCaps.None, "NOTICE", "#dev");

        Text(plain).Should().Equal(":alice!alice@lantalk PRIVMSG #dev :hi\r\n");
        Text(timed).Should().Equal("@time=2023-11-14T22:13:20.123Z :alice!alice@lantalk PRIVMSG #dev :hi\r\n");
        Text(tagged).Should().Equal("@time=2023-11-14T22:13:20.123Z;msgid=42 :alice!alice@lantalk PRIVMSG #dev :hi\r\n");
        Text(echoedNotice).Should().Equal(":alice!alice@lantalk NOTICE #dev :hi\r\n");
        entry.MessageLines(IrcCaps.None, "PRIVMSG", "#dev").Should().BeSameAs(plain);
        entry.MessageLines(IrcCaps.ServerTime, "PRIVMSG", "#dev").Should().BeSameAs(timed);
        entry.MessageLines(IrcCaps.ServerTime | IrcCaps.MessageTags, "PRIVMSG", "#dev").Should().BeSameAs(tagged);
    }

    [Test]
    public void A_private_message_is_addressed_per_recipient()
    {
        // The recipient sees it addressed to their nick; the sender's echo, to the recipient (as bouncers show it).
        var entry = IrcFrameCache.For(MessageFrame(ChatCommand.PrivateMessage, "bob", "alice", "psst"), ProtocolLimits.Default);

        var toBob = entry.MessageLines(IrcCaps.None, "PRIVMSG", "bob");
        var echo = entry.MessageLines(IrcCaps.None, "PRIVMSG", "bob");
        var other = entry.MessageLines(IrcCaps.None, "PRIVMSG", "Bob");

        echo.Should().BeSameAs(toBob);
        other.Should().NotBeSameAs(toBob);
        Text(other).Should().Equal(":alice!alice@lantalk PRIVMSG Bob :psst\r\n");
    }

    [Test]
    public void An_action_is_CTCP_ACTION_and_long_text_is_split_into_lines_that_fit()
    {
        var action = IrcFrameCache.For(MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "waves", kind: ChatMessageKind.Action), ProtocolLimits.Default);
        string longText = string.Concat(Enumerable.Repeat("ü€😀a", 200));
        var split = IrcFrameCache.For(MessageFrame(ChatCommand.PublicMessage, "dev", "alice", longText), ProtocolLimits.Default);

        Text(action.MessageLines(IrcCaps.None, "PRIVMSG", "#dev")).Should().Equal(":alice!alice@lantalk PRIVMSG #dev :\u0001ACTION waves\u0001\r\n");
        var lines = split.MessageLines(IrcCaps.ServerTime, "PRIVMSG", "#dev");
        lines.Should().HaveCountGreaterThan(1);
        lines.Should().OnlyContain(l => l.Length - "@time=2023-11-14T22:13:20.123Z ".Length <= IrcLimits.MaxLineBytes);
        const string Prefix = "@time=2023-11-14T22:13:20.123Z :alice!alice@lantalk PRIVMSG #dev :";
        Text(lines).Should().OnlyContain(l => l.StartsWith(Prefix, StringComparison.Ordinal) && l.EndsWith("\r\n", StringComparison.Ordinal));
        string.Concat(Text(lines).Select(l => l[Prefix.Length..^2])).Should().Be(longText);
    }

    [Test]
    public void The_entry_is_found_by_identity_and_per_thread()
    {
        var frame = MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "same bytes");
        var entry = IrcFrameCache.For(frame, ProtocolLimits.Default);
        IrcFrameCache? onOtherThread = null;
        var thread = new Thread(() => onOtherThread = IrcFrameCache.For(frame, ProtocolLimits.Default));

        thread.Start();
        thread.Join(TimeSpan.FromSeconds(10)).Should().BeTrue("the other thread only parses one frame");

        // Another thread never shares this thread's entry (its renderings are unlocked), and a copy is another frame.
        onOtherThread.Should().NotBeNull().And.NotBeSameAs(entry);
        IrcFrameCache.For((byte[])frame.Clone(), ProtocolLimits.Default).Should().NotBeSameAs(entry);
        Text(onOtherThread!.MessageLines(IrcCaps.None, "PRIVMSG", "#dev")).Should().Equal(Text(entry.MessageLines(IrcCaps.None, "PRIVMSG", "#dev")));
    }

    [Test]
    public void A_frame_that_does_not_parse_is_a_protocol_violation()
    {
        var frame = MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "x");
        frame[4] = 0xEE;

        var parse = () => IrcFrameCache.For(frame, ProtocolLimits.Default);

        parse.Should().Throw<ProtocolViolationException>();
    }
    [Test]
    public void An_event_line_of_a_fan_out_is_built_once_per_kind_of_recipient_and_says_exactly_its_event()
    {
        var entry = IrcFrameCache.For(MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "hi"), ProtocolLimits.Default);

        var join = entry.EventLine(false, "bob!bob@lantalk", "JOIN", ["#dev"]);
        var again = entry.EventLine(false, "bob" + "!bob@lantalk", "JOIN", ["#" + "dev"]);
        var timed = entry.EventLine(true, "bob!bob@lantalk", "JOIN", ["#dev"]);
        var otherChannel = entry.EventLine(false, "bob!bob@lantalk", "JOIN", ["#ops"]);
        var otherSource = entry.EventLine(false, "carol!carol@lantalk", "JOIN", ["#dev"]);
        var part = entry.EventLine(false, "bob!bob@lantalk", "PART", ["#dev"]);
        var partWithReason = entry.EventLine(false, "bob!bob@lantalk", "PART", ["#dev", "bye"]);

        again.Should().BeSameAs(join, "equal strings, not the same instances, are the same event");
        Encoding.UTF8.GetString(join).Should().Be(":bob!bob@lantalk JOIN #dev\r\n");
        Encoding.UTF8.GetString(timed).Should().MatchRegex(@"^@time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z :bob!bob@lantalk JOIN #dev\r\n$");
        entry.EventLine(true, "bob!bob@lantalk", "JOIN", ["#dev"]).Should().BeSameAs(timed, "every server-time recipient sees the first one's time");
        Encoding.UTF8.GetString(otherChannel).Should().Be(":bob!bob@lantalk JOIN #ops\r\n");
        Encoding.UTF8.GetString(otherSource).Should().Be(":carol!carol@lantalk JOIN #dev\r\n");
        Encoding.UTF8.GetString(part).Should().Be(":bob!bob@lantalk PART #dev\r\n");
        Encoding.UTF8.GetString(partWithReason).Should().Be(":bob!bob@lantalk PART #dev :bye\r\n");
    }

    [Test]
    public void An_event_line_of_another_frame_is_built_afresh()
    {
        var first = IrcFrameCache.For(MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "hi"), ProtocolLimits.Default);
        var line = first.EventLine(true, "bob!bob@lantalk", "JOIN", ["#dev"]);
        var next = IrcFrameCache.For(MessageFrame(ChatCommand.PublicMessage, "dev", "alice", "hi"), ProtocolLimits.Default);

        next.Should().NotBeSameAs(first);
        next.EventLine(true, "bob!bob@lantalk", "JOIN", ["#dev"]).Should().NotBeSameAs(line, "a later event gets its own time");
    }
}
