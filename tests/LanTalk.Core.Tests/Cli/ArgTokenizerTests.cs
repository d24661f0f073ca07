using LanTalk.Core.Cli;

namespace LanTalk.Core.Tests.Cli;

public sealed class ArgTokenizerTests
{
    private static readonly Func<string, (string Name, OptionKind Kind)?> s_table = ArgTokenizer.Table(
        ("--server", "-s", OptionKind.Value),
        ("--json", null, OptionKind.Flag));

    private static (List<ParsedOption> Options, List<string> Positional) Split(params string[] args)
    {
        ArgTokenizer.TryTokenize(args, s_table, out var options, out var positional, out string error).Should().BeTrue(error);
        return (options, positional);
    }

    private static string Fail(params string[] args)
    {
        ArgTokenizer.TryTokenize(args, s_table, out _, out _, out string error, "; see 'tool --help'").Should().BeFalse();
        return error;
    }

    [Test]
    public void Value_options_take_the_next_word_or_the_text_after_equals()
    {
        Split("--server", "a").Options.Should().Equal(new ParsedOption("--server", "a", "--server"));
        Split("--server=a=b").Options.Should().Equal(new ParsedOption("--server", "a=b", "--server"));
        Split("--server=").Options.Should().Equal(new ParsedOption("--server", string.Empty, "--server"));
    }

    [Test]
    public void Aliases_resolve_to_the_long_name_and_take_the_next_word()
    {
        Split("-s", "a").Options.Should().Equal(new ParsedOption("--server", "a", "-s"));
        Fail("-s=a").Should().Be("unknown option '-s=a'; see 'tool --help'");
    }

    [Test]
    public void Double_dash_ends_the_options_and_a_lone_dash_is_an_argument()
    {
        var (options, positional) = Split("x", "--json", "--", "--server", "-s", "--", "-");
        options.Should().Equal(new ParsedOption("--json", null, "--json"));
        positional.Should().Equal("x", "--server", "-s", "--", "-");
        Split("-").Positional.Should().Equal("-");
    }

    [Test]
    public void A_value_may_start_with_a_dash() => Split("--server", "-x").Options.Single().Value.Should().Be("-x");

    [Test]
    public void Errors_name_the_option()
    {
        Fail("--nope").Should().Be("unknown option '--nope'; see 'tool --help'");
        Fail("--nope=1").Should().Be("unknown option '--nope'; see 'tool --help'");
        Fail("--server").Should().Be("--server needs a value");
        Fail("-s").Should().Be("-s needs a value");
        Fail("--json=1").Should().Be("--json takes no value");
    }
}
