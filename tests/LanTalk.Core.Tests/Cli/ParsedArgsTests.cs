using System.CommandLine;
using LanTalk.Core.Cli;

namespace LanTalk.Core.Tests.Cli;

/// <summary>The command-line rules the three tools share, as System.CommandLine matches them and ParsedArgs reads them.</summary>
public sealed class ParsedArgsTests
{
    private static readonly OptionTable s_table = new(
        ("--server", "-s", OptionKind.Value),
        ("--json", null, OptionKind.Flag));

    private static ParsedArgs Parse(params string[] args)
    {
        var root = new Command("tool");
        foreach (string name in s_table.Names)
        {
            root.Options.Add(s_table.Create(name));
        }

        root.Arguments.Add(new Argument<string[]>("words") { Arity = ArgumentArity.ZeroOrMore });
        return new ParsedArgs(root, args);
    }

    private static (string Name, string? Value, string Typed)[] Options(params string[] args)
    {
        var parsed = Parse(args);
        parsed.SyntaxError(s_table, "; see 'tool --help'").Should().BeNull();
        return [.. parsed.Options()];
    }

    private static string? Fail(params string[] args) => Parse(args).SyntaxError(s_table, "; see 'tool --help'");

    [Test]
    public void Value_options_take_the_next_word_or_the_text_after_equals()
    {
        Options("--server", "a").Should().Equal(("--server", "a", "--server"));
        Options("--server=a=b").Should().Equal(("--server", "a=b", "--server"));
        Options("--server=host:7000").Should().Equal(("--server", "host:7000", "--server"));
    }

    [Test]
    public void Aliases_resolve_to_the_long_name_and_take_the_next_word() =>
        Options("-s", "a").Should().Equal(("--server", "a", "-s"));

    [Test]
    public void Double_dash_ends_the_options_and_a_lone_dash_is_an_argument()
    {
        var parsed = Parse("x", "--json", "--", "--server", "-s", "--", "-");
        parsed.SyntaxError(s_table, string.Empty).Should().BeNull();
        parsed.Options().Should().Equal(("--json", null, "--json"));
        parsed.Words.Should().Equal("x", "--server", "-s", "--", "-");
        Parse("-").Words.Should().Equal("-");
    }

    [Test]
    public void A_value_may_start_with_a_dash() => Options("--server", "-x").Single().Value.Should().Be("-x");

    [Test]
    public void A_flag_takes_no_value_and_leaves_the_next_word_alone()
    {
        var parsed = Parse("--json", "true");
        parsed.Options().Should().Equal(("--json", null, "--json"));
        parsed.Words.Should().Equal("true");
    }

    [Test]
    public void An_at_sign_is_a_word_not_a_response_file() => Parse("@args.txt").Words.Should().Equal("@args.txt");

    [Test]
    public void An_option_given_twice_is_refused_naming_both_values()
    {
        // The last value used to win without a word (a settings audit, 2026-12-06).
        Fail("--server", "a", "--server", "b").Should().Be("--server was given twice ('a' and 'b'); give it once");
        Fail("-s", "a", "--server=b").Should().Be("--server was given twice ('a' and 'b'); give it once");
        Fail("--json", "--json").Should().Be("--json was given twice; give it once");
        // A value that looks like the option's name is a value, and after "--" nothing is an option.
        Fail("--server=--server").Should().BeNull();
        Fail("--server", "a", "--", "--server").Should().BeNull();
    }

    [Test]
    public void Errors_name_the_option()
    {
        Fail("--nope").Should().Be("unknown option '--nope'; see 'tool --help'");
        Fail("--nope=1").Should().Be("unknown option '--nope'; see 'tool --help'");
        Fail("-x").Should().Be("unknown option '-x'; see 'tool --help'");
        Fail("--server").Should().Be("--server needs a value");
        Fail("-s").Should().Be("-s needs a value");
        Fail("--json=1").Should().Be("--json takes no value");
        Fail("--server", "").Should().Be("--server needs a value");
        Fail("--server=").Should().Be("--server needs a value");
        Fail("-s", " ").Should().Be("-s needs a value");
    }
}
