using System.CommandLine;

namespace LanTalk.Core.Cli;

/// <summary>
/// A tool's options by long name, with an optional short alias and whether each takes a value, and the
/// System.CommandLine <see cref="Option"/> made from each. A table rather than types, so nothing is found by reflection.
/// </summary>
public sealed class OptionTable(params (string Name, string? Alias, OptionKind Kind)[] specs)
{
    private readonly (string Name, string? Alias, OptionKind Kind)[] _specs = specs;

    /// <summary>Every long name, in table order.</summary>
    public IEnumerable<string> Names => _specs.Select(s => s.Name);

    /// <summary>The long name and kind of an option as typed (<c>-h</c> is <c>--help</c>); null when the tool has none.</summary>
    public (string Name, OptionKind Kind)? Find(string typed)
    {
        foreach (var (name, alias, kind) in _specs)
        {
            if (typed == name || typed == alias)
            {
                return (name, kind);
            }
        }

        return null;
    }

    /// <summary>A new option for <paramref name="name"/>; <paramref name="recursive"/> makes every subcommand accept it too.</summary>
    public Option Create(string name, bool recursive = false)
    {
        var (_, alias, kind) = _specs.Single(o => o.Name == name);
        return Create(name, alias, kind, recursive);
    }

    /// <summary>A new option: a flag takes no value, a value option exactly one word.</summary>
    public static Option Create(string name, string? alias, OptionKind kind, bool recursive = false)
    {
        string[] aliases = alias is null ? [] : [alias];
        // Arity zero: System.CommandLine's bool options would otherwise eat a following "true" or "false"
        // (lantalk send --plaintext true would lose the word "true").
        return kind == OptionKind.Flag
            ? new Option<bool>(name, aliases) { Arity = ArgumentArity.Zero, Recursive = recursive }
            : new Option<string>(name, aliases) { Arity = ArgumentArity.ExactlyOne, Recursive = recursive };
    }
}
