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
    public void Long_prose_is_split_after_a_space_so_no_word_is_broken_over_two_lines()
    {
        string text = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"word{i}"));
        var pieces = IrcLine.Split(text, 60).ToList();

        pieces.Should().HaveCountGreaterThan(2);
        string.Concat(pieces).Should().Be(text);
        pieces.SkipLast(1).Should().OnlyContain(p => p.EndsWith(' '), "each cut falls after a space");
        pieces.Should().OnlyContain(p => Encoding.UTF8.GetByteCount(p) + 60 + 2 <= IrcLimits.MaxLineBytes);
    }

    [Test]
    public void A_word_longer_than_half_a_line_is_cut_between_characters_rather_than_leaving_a_stub_line()
    {
        int budget = IrcLimits.MaxLineBytes - 2 - 60;
        string text = "see " + new string('x', budget * 2);
        var pieces = IrcLine.Split(text, 60).ToList();

        pieces[0].Should().HaveLength(budget, "the space is in the first few bytes, too early to cut at");
        string.Concat(pieces).Should().Be(text);
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

    [TestCase("alice\0alice\0pw", null)]
    [TestCase("\0alice\0pw", null)]
    [TestCase("bob\0alice\0pw", "to act as another user (bob) is not supported")]
    [TestCase("alice\0pw", "must be authzid NUL user NUL password")]
    public void Sasl_plain_needs_three_fields_and_a_matching_authzid(string plain, string? problem)
    {
        string? found = IrcSession.DecodePlain(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)), out string user, out string password);
        if (problem is null)
        {
            found.Should().BeNull();
            user.Should().Be("alice");
            password.Should().Be("pw");
        }
        else
        {
            found.Should().Contain(problem);
        }
    }

    [Test]
    public void Sasl_plain_that_is_not_base64_is_refused()
    {
        IrcSession.DecodePlain("!!!", out _, out _).Should().Contain("not base64");
    }

    [Test]
    public void A_line_past_512_bytes_has_its_last_parameter_cut_at_a_character_boundary_tags_not_counted()
    {
        // A 504-byte QUIT reason relayed with a 70-byte prefix went out as 593 bytes (RFC 2812 2.3: at most 512 with CR LF).
        string source = new string('g', 32) + "!" + new string('g', 32) + "@lantalk";
        string reason = "Quit: " + string.Concat(Enumerable.Repeat("é€😀r", 60));

        byte[] line = IrcLine.Build("time=2026-12-03T00:00:00.000Z", source, "QUIT", reason);

        string text = Encoding.UTF8.GetString(line);
        int tagBytes = "@time=2026-12-03T00:00:00.000Z ".Length;
        line.Length.Should().BeLessThanOrEqualTo(512 + tagBytes).And.BeGreaterThan(500 + tagBytes);
        text.Should().EndWith("\r\n").And.NotContain("\uFFFD", "a character is cut whole or not at all");
        reason.Should().StartWith(text[(text.IndexOf(" QUIT :", StringComparison.Ordinal) + 7)..^2]);
    }

    [Test]
    public void A_cut_ctcp_keeps_its_closing_delimiter_and_a_short_line_is_left_alone()
    {
        string ctcp = "\u0001VERSION " + new string('v', 600) + "\u0001";

        string text = Encoding.UTF8.GetString(IrcLine.Build(null, "bob!bob@lantalk", "PRIVMSG", "alice", ctcp));

        Encoding.UTF8.GetByteCount(text).Should().Be(512);
        text.Should().EndWith("v\u0001\r\n");
        Encoding.UTF8.GetString(IrcLine.Build(null, "a!a@h", "QUIT", "good bye")).Should().Be(":a!a@h QUIT :good bye\r\n");
    }
}
