namespace LanTalk.Core.Cli;

/// <summary>
/// The one set of command-line rules the three tools share: <c>--name value</c>, <c>--name=value</c>, short aliases
/// (<c>-s host</c>), <c>--</c> ends the options, and a lone <c>-</c> is an argument. It only splits words; each tool
/// decides what its options mean. Hand-written (no reflection), so Native AOT stays warning-free.
/// </summary>
public static class ArgTokenizer
{
    /// <summary>
    /// Splits <paramref name="args"/> into options and positional arguments. <paramref name="lookup"/> maps a name as
    /// typed (<c>--server</c> or <c>-s</c>) to its long name and kind, or null when the tool does not know it.
    /// <paramref name="unknownHint"/> is appended to the unknown-option error, e.g. "; see 'lantalk --help'".
    /// </summary>
    public static bool TryTokenize(
        IReadOnlyList<string> args,
        Func<string, (string Name, OptionKind Kind)?> lookup,
        out List<ParsedOption> options,
        out List<string> positional,
        out string error,
        string unknownHint = "")
    {
        options = [];
        positional = [];
        error = string.Empty;
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                positional.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            // "--name=value"; a short alias takes its value from the next word only.
            string typed = arg;
            string? inline = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                typed = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            if (lookup(typed) is not { } spec)
            {
                error = $"unknown option '{typed}'{unknownHint}";
                return false;
            }

            if (spec.Kind == OptionKind.Flag)
            {
                if (inline is not null)
                {
                    error = $"{typed} takes no value";
                    return false;
                }

                options.Add(new ParsedOption(spec.Name, null, typed));
                continue;
            }

            if (inline is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"{typed} needs a value";
                    return false;
                }

                inline = args[++i];
            }

            options.Add(new ParsedOption(spec.Name, inline, typed));
        }

        return true;
    }

    /// <summary>A lookup over a fixed table: long names and aliases (e.g. <c>("--server", "-s", OptionKind.Value)</c>).</summary>
    public static Func<string, (string Name, OptionKind Kind)?> Table(params (string Name, string? Alias, OptionKind Kind)[] specs)
    {
        var map = new Dictionary<string, (string Name, OptionKind Kind)>(StringComparer.Ordinal);
        foreach (var (name, alias, kind) in specs)
        {
            map[name] = (name, kind);
            if (alias is not null)
            {
                map[alias] = (name, kind);
            }
        }

        return typed => map.TryGetValue(typed, out var spec) ? spec : null;
    }
}
