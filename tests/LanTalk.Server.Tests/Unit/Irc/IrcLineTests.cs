using System.Text;
using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>Outgoing lines: no injected line breaks, trailing parameters, and long text split on character boundaries.</summary>
[TestFixture]
public sealed class IrcLineTests
{
    [Test]
    public void Builds_a_line_with_a_trailing_parameter()
    {
        Encoding.UTF8.GetString(IrcLine.Build(null, "a!a@h", "PRIVMSG", "#lobby", "hi there")).Should().Be(":a!a@h PRIVMSG #lobby :hi there\r\n");
        Encoding.UTF8.GetString(IrcLine.Build("time=x", "s", "PONG", "s", "tok")).Should().Be("@time=x :s PONG s tok\r\n");
    }

    [Test]
    public void Text_from_a_chatsocket_user_cannot_inject_a_second_line()
    {
        string line = Encoding.UTF8.GetString(IrcLine.Build(null, "a!a@h", "PRIVMSG", "#lobby", "hi\r\nQUIT :pwned\0"));

        line.Should().Be(":a!a@h PRIVMSG #lobby :hi  QUIT :pwned \r\n");
    }

    [Test]
    public void Long_text_is_split_into_lines_that_fit_and_lose_nothing()
    {
        string text = string.Concat(Enumerable.Repeat("ü€😀a", 400));
        var pieces = IrcLine.Split(text, 60).ToList();

        pieces.Should().HaveCountGreaterThan(1);
        string.Concat(pieces).Should().Be(text);
        pieces.Should().OnlyContain(p => Encoding.UTF8.GetByteCount(p) + 60 + 2 <= IrcLimits.MaxLineBytes);
    }

    [Test]
    public void A_text_that_fills_the_line_exactly_stays_whole_and_one_byte_more_is_split_between_characters()
    {
        int budget = IrcLimits.MaxLineBytes - 2 - 60;
        string exact = new string('a', budget - 2) + "ü";
        string over = new string('a', budget - 1) + "ü";

        IrcLine.Split(exact, 60).Should().Equal(exact);
        IrcLine.Split(over, 60).Should().Equal(new string('a', budget - 1), "ü");
    }

    [Test]
    public void Multi_line_text_becomes_one_irc_line_per_line()
    {
        IrcLine.Split("one\r\ntwo\n\nthree", 40).Should().Equal("one", "two", "three");
    }

    [TestCase("")]
    [TestCase("\r\n\n")]
    public void An_empty_or_blank_text_is_one_empty_line_not_none(string text)
    {
        IrcLine.Split(text, 40).Should().Equal(string.Empty);
        Encoding.UTF8.GetString(IrcLine.Build(null, "a!a@h", "PRIVMSG", "#lobby", string.Empty)).Should().Be(":a!a@h PRIVMSG #lobby :\r\n");
    }

    [Test]
    public void Server_time_is_iso8601_utc_with_milliseconds()
    {
        IrcLine.Time(1_700_000_000_123).Should().Be("time=2023-11-14T22:13:20.123Z");
    }

    [TestCase("alice\0alice\0pw", true)]
    [TestCase("\0alice\0pw", true)]
    [TestCase("bob\0alice\0pw", false)]
    [TestCase("alice\0pw", false)]
    public void Sasl_plain_needs_three_fields_and_a_matching_authzid(string plain, bool ok)
    {
        IrcSession.TryDecodePlain(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)), out string user, out string password).Should().Be(ok);
        if (ok)
        {
            user.Should().Be("alice");
            password.Should().Be("pw");
        }
    }

    [Test]
    public void Sasl_plain_that_is_not_base64_is_refused()
    {
        IrcSession.TryDecodePlain("!!!", out _, out _).Should().BeFalse();
    }
}
