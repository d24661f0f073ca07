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

    /// <summary>
    /// A whole number of at least <paramref name="min"/>: a smaller one is refused, not raised to the minimum, so
    /// a run never measures something other than what was asked (--size 31 ran with 32 bytes; a settings audit, 2026-12-06).
    /// </summary>
    public int? Int(string name, int min, string why)
    {
        int? value = Int(name);
        return value < min
            ? throw new HarnessException($"{name}: {value.Value.ToString(CultureInfo.InvariantCulture)} is below the minimum, {min.ToString(CultureInfo.InvariantCulture)} ({why})")
            : value;
    }

    public double? Double(string name) => String(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 ? value : throw new HarnessException($"{name}: '{text}' is not a non-negative number")
        : null;

    /// <summary>A number from 0 to <paramref name="max"/>; a larger one is refused, not cut to the maximum.</summary>
    public double? Double(string name, double max, string why)
    {
        double? value = Double(name);
        return value > max
            ? throw new HarnessException($"{name}: {value.Value.ToString(CultureInfo.InvariantCulture)} is above the maximum, {max.ToString(CultureInfo.InvariantCulture)} ({why})")
            : value;
    }

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
