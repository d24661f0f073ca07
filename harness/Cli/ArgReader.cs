using System.Globalization;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Cli;

/// <summary>A small "--name value" parser: every option is looked up by name, unknown ones are an error.</summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ArgReader(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new HarnessException($"unexpected argument '{arg}'");
            }

            if (flags.Contains(arg))
            {
                _options[arg] = null;
            }
            else if (i + 1 < list.Count)
            {
                _options[arg] = list[++i];
            }
            else
            {
                throw new HarnessException($"{arg} needs a value");
            }
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
