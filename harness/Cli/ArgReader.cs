using System.CommandLine;
using System.Globalization;
using LanTalk.Core.Cli;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Cli;

/// <summary>The harness's options: every option is looked up by name, unknown ones are an error (see <see cref="RejectUnknown"/>).</summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ArgReader(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        // Which long options exist is known only once the command has read them (RejectUnknown), so the
        // System.CommandLine tree is made from the line itself: the command's flags, and every other "--name" as an
        // option taking a value. The matching rules (--name=value, --, a lone -) are the ones the other tools use.
        var words = args.ToList();
        int end = words.IndexOf("--") is >= 0 and int dash ? dash : words.Count;
        var names = words.Take(end)
            .Where(w => w.Length > 2 && w.StartsWith("--", StringComparison.Ordinal))
            .Select(ParsedArgs.Name)
            .Concat(flags)
            .Distinct(StringComparer.Ordinal);
        var table = new OptionTable([.. names.Select(n => (n, (string?)null, flags.Contains(n) ? OptionKind.Flag : OptionKind.Value))]);
        var root = new Command("lantalk-harness");
        foreach (string name in table.Names)
        {
            root.Options.Add(table.Create(name));
        }

        // Any words, so a stray one is reported below in our words rather than the library's.
        root.Arguments.Add(new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore });
        var parsed = new ParsedArgs(root, words);
        if (parsed.SyntaxError(table, "; see 'lantalk-harness help'") is { } error)
        {
            throw new HarnessException(error);
        }

        if (parsed.Words.Count > 0)
        {
            throw new HarnessException($"unexpected argument '{parsed.Words[0]}'");
        }

        foreach (var (name, value, _) in parsed.Options())
        {
            _options[name] = value;
        }
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public int? Int(string name) => String(name) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0 ? value : throw new HarnessException($"{name}: '{text}' is not a non-negative whole number")
        : null;

    public double? Double(string name) => String(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 ? value : throw new HarnessException($"{name}: '{text}' is not a non-negative number")
        : null;

    /// <summary>Throws for options nobody asked for (typos).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new HarnessException($"unknown option(s): {string.Join(", ", unknown)}; see 'lantalk-harness help'");
        }
    }
}
