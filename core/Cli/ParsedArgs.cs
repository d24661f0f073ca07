using System.CommandLine;
using System.CommandLine.Parsing;

namespace LanTalk.Core.Cli;

/// <summary>
/// One command line as System.CommandLine matched it, read the way the three tools word their errors. The library
/// matches words to commands and options (<c>--name value</c>, <c>--name=value</c>, aliases, <c>--</c> ends the options,
/// a lone <c>-</c> is an argument); the tools' contract (README) is their own error texts, help texts and exit
/// codes, so the library's help, version, directives, @file response files and messages are not used.
/// </summary>
public sealed class ParsedArgs
{
    /// <summary>Response files off (an argument may start with '@'), no -abc bundling.</summary>
    public static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    private readonly IReadOnlyList<string> _args;
    private readonly int _endOfOptions;

    /// <summary>Parses <paramref name="args"/> with <paramref name="root"/>.</summary>
    public ParsedArgs(Command root, IReadOnlyList<string> args)
    {
        _args = args;
        Result = root.Parse(args, Configuration);
        _endOfOptions = IndexOf("--");
        Leaf = Result.CommandResult;
        var strayWords = Result.UnmatchedTokens.Where(w => !LooksLikeOption(w)).ToList();
        StrayOptions.AddRange(Result.UnmatchedTokens.Where(LooksLikeOption));
        var words = new List<string>();
        var leafArguments = new List<string>();
        foreach (var command in Chain())
        {
            if (command.Parent is not null)
            {
                words.Add(command.Command.Name);
            }

            foreach (var argument in command.Command.Arguments.OfType<Argument<string[]>>())
            {
                foreach (string word in Result.GetValue(argument) ?? [])
                {
                    // A word System.CommandLine took as an argument because no option has that name.
                    (LooksLikeOption(word) ? StrayOptions : command == Leaf ? leafArguments : words).Add(word);
                }
            }

            if (command == Leaf)
            {
                words.AddRange(leafArguments);
            }
        }

        Arguments = leafArguments;
        StrayWords = strayWords;
        Words = [.. words, .. strayWords];
    }

    /// <summary>The library's own result, for what this class does not cover.</summary>
    public ParseResult Result { get; }

    /// <summary>The innermost command named ("add" in "user add alice").</summary>
    public CommandResult Leaf { get; }

    /// <summary>The words of the innermost command's string[] argument, if it has one.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Words before any <c>--</c> that look like options but are not options of the command given.</summary>
    public List<string> StrayOptions { get; } = [];

    /// <summary>Words no command or argument took (an unknown subcommand, one argument too many).</summary>
    public IReadOnlyList<string> StrayWords { get; }

    /// <summary>Every word that is not an option, in order: command names (not the tool's), arguments, stray words.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The words that name the command: "user add", or "" for the tool itself.</summary>
    public string Path
    {
        get
        {
            var words = new List<string>();
            for (SymbolResult? at = Leaf; at is CommandResult command && command.Parent is not null; at = command.Parent)
            {
                words.Insert(0, command.Command.Name);
            }

            return string.Join(' ', words);
        }
    }

    /// <summary>The name an option was typed with, without an "=value" part.</summary>
    public static string Name(string typed) =>
        typed.StartsWith("--", StringComparison.Ordinal) && typed.IndexOf('=', StringComparison.Ordinal) is > 2 and int equals ? typed[..equals] : typed;

    /// <summary>
    /// The first mistake in how options are written, as one line, or null: a value given to a flag, an option no
    /// command has (<paramref name="unknownHint"/> is appended, e.g. " (see lantalk --help)"), a value missing or empty.
    /// </summary>
    public string? SyntaxError(OptionTable options, string unknownHint)
    {
        for (int i = 0; i < _endOfOptions; i++)
        {
            string name = Name(_args[i]);
            if (name.Length < _args[i].Length && options.Find(name) is { Kind: OptionKind.Flag })
            {
                return $"{name} takes no value";
            }
        }

        // "--port --data DIR": a word that starts with "--" is the next option, not a forgotten value, whatever the
        // library made of it (it took "--data" as the port and reported DIR as an unknown command). A value that does
        // start with "--" can still be given as --name=--value.
        for (int i = 0; i < _endOfOptions; i++)
        {
            if (options.Find(_args[i]) is { Kind: OptionKind.Value } && (i + 1 == _args.Count || _args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                return $"{_args[i]} needs a value";
            }
        }

        foreach (string word in StrayOptions)
        {
            if (options.Find(Name(word)) is null)
            {
                return $"unknown option '{Name(word)}'{unknownHint}";
            }
        }

        if (Repetition(options) is { } repeated)
        {
            return repeated;
        }

        // An empty (or blank) value is a forgotten one too: "--data \"$DATA_DIR\"" with the variable unset gives
        // --data '', which each tool took as "no --data", so the server served and 'user add' wrote Data/ beside the
        // executable, a different, empty directory, with exit 0 (an operations audit, 2026-12-06).
        foreach (var option in Chain().SelectMany(c => c.Children.OfType<OptionResult>()))
        {
            if (option.Option.Arity.MinimumNumberOfValues > 0 && !option.Implicit
                && (option.Tokens.Count == 0 || option.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value))))
            {
                return $"{option.IdentifierToken?.Value ?? option.Option.Name} needs a value";
            }
        }

        return null;
    }

    /// <summary>
    /// System.CommandLine's own complaints, less the one the tools word themselves in <see cref="SyntaxError"/>: an
    /// option given twice.
    /// </summary>
    public IEnumerable<ParseError> Errors => Result.Errors.Where(e => !Repeated(e.SymbolResult));

    /// <summary>
    /// An option typed more than once (alias or not, before or after the command's name), as one line, or null. The
    /// last value used to win without a word: "--port 7301 --port 7302" listened on 7302, and "--set A=1 --set B=2"
    /// dropped A=1 (a settings audit, 2026-12-06).
    /// </summary>
    private string? Repetition(OptionTable options)
    {
        var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < _endOfOptions; i++)
        {
            string typed = Name(_args[i]);
            if (options.Find(typed) is not { } option)
            {
                continue;
            }

            string? value = null;
            if (option.Kind == OptionKind.Value)
            {
                // "--name=value", or the next word, which the checks above made sure is there.
                value = typed.Length < _args[i].Length ? _args[i][(typed.Length + 1)..] : i + 1 < _args.Count ? _args[++i] : null;
            }

            if (!seen.TryGetValue(option.Name, out var values))
            {
                seen[option.Name] = values = [];
            }

            values.Add(value ?? string.Empty);
            if (values.Count == 2)
            {
                return option.Kind == OptionKind.Flag
                    ? $"{option.Name} was given twice; give it once"
                    : $"{option.Name} was given twice ('{values[0]}' and '{values[1]}'); give it once";
            }
        }

        return null;
    }

    /// <summary>Whether the option <paramref name="name"/> was given, before or after the command's name.</summary>
    public bool Given(string name) => Options().Any(o => o.Name == name);

    /// <summary>The options given, from the tool's own (before any command) to the innermost command's.</summary>
    /// <returns>The long name, the value (null for a flag; the last one when given twice) and the word typed.</returns>
    public IEnumerable<(string Name, string? Value, string Typed)> Options() =>
        Chain().SelectMany(c => c.Children.OfType<OptionResult>())
            .Where(o => !o.Implicit)
            .Select(o => (o.Option.Name, o.Tokens.Count == 0 ? null : o.Tokens[^1].Value, o.IdentifierToken?.Value ?? o.Option.Name));

    /// <summary>The commands from the tool down to <see cref="Leaf"/>.</summary>
    private List<CommandResult> Chain()
    {
        var chain = new List<CommandResult>();
        for (SymbolResult? at = Leaf; at is CommandResult command; at = command.Parent)
        {
            chain.Insert(0, command);
        }

        return chain;
    }

    private static bool Repeated(SymbolResult? symbol) =>
        symbol is OptionResult { Tokens.Count: > 1 } || symbol is ArgumentResult { Parent: OptionResult { Tokens.Count: > 1 } };

    // "-x" or "--name[=value]" before any "--"; a lone "-" is an argument.
    private bool LooksLikeOption(string word) => word.Length > 1 && word[0] == '-' && IndexOf(word) < _endOfOptions;

    private int IndexOf(string word)
    {
        for (int i = 0; i < _args.Count; i++)
        {
            if (_args[i] == word)
            {
                return i;
            }
        }

        return _args.Count;
    }
}
