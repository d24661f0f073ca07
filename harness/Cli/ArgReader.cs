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
        // Which long options exist is known only once the command has read them (RejectUnknown), so every "--name"
        // that is not a flag takes a value here; the word-splitting rules are the ones the other tools use.
        if (!ArgTokenizer.TryTokenize(
            args.ToList(),
            typed => !typed.StartsWith("--", StringComparison.Ordinal) ? null : (typed, flags.Contains(typed) ? OptionKind.Flag : OptionKind.Value),
            out var options,
            out var positional,
            out string error,
            "; see 'lantalk-harness help'"))
        {
            throw new HarnessException(error);
        }

        if (positional.Count > 0)
        {
            throw new HarnessException($"unexpected argument '{positional[0]}'");
        }

        foreach (var option in options)
        {
            _options[option.Name] = option.Value;
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
