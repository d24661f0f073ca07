namespace LanTalk.Client.Cli;

/// <summary>Hand-written argument parser: no reflection, so Native AOT stays warning-free.</summary>
internal static partial class CliParser
{
    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one line.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out CommandLine command, out string error)
    {
        command = new CommandLine();
        error = string.Empty;
        var positional = new List<string>();
        bool help = false;
        bool version = false;
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

            // Both "--server host" and "--server=host" work.
            string name = arg;
            string? inline = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            switch (name)
            {
                case "-h" or "--help":
                    help = true;
                    break;
                case "-V" or "--version":
                    version = true;
                    break;
                case "-s" or "--server":
                    if (!TakeValue(args, ref i, name, inline, out string server, out error))
                    {
                        return false;
                    }

                    command = command with { Server = server };
                    break;
                case "-u" or "--user":
                    if (!TakeValue(args, ref i, name, inline, out string user, out error))
                    {
                        return false;
                    }

                    command = command with { User = user };
                    break;
                case "-t" or "--to":
                    if (!TakeValue(args, ref i, name, inline, out string to, out error))
                    {
                        return false;
                    }

                    command = command with { To = to };
                    break;
                case "--trust":
                    if (!TakeValue(args, ref i, name, inline, out string trust, out error))
                    {
                        return false;
                    }

                    command = command with { Trust = trust };
                    break;
                case "--password-stdin":
                    command = command with { PasswordStdin = true };
                    break;
                case "--plaintext":
                    command = command with { Plaintext = true };
                    break;
                case "--color":
                    command = command with { Color = true };
                    break;
                case "--no-color":
                    command = command with { Color = false };
                    break;
                case "--seconds":
                    command = command with { Seconds = true };
                    break;
                case "--no-seconds":
                    command = command with { Seconds = false };
                    break;
                case "--all":
                    command = command with { SearchAll = true };
                    break;
                case "--json":
                    command = command with { Json = true };
                    break;
                default:
                    error = $"unknown option '{arg}'; see 'lantalk --help'";
                    return false;
            }

            if (inline is not null && name is not ("-s" or "--server" or "-u" or "--user" or "-t" or "--to" or "--trust"))
            {
                error = $"option '{name}' takes no value";
                return false;
            }
        }

        return Finish(command, positional, help, version, out command, out error);
    }

    private static bool TakeValue(IReadOnlyList<string> args, ref int i, string name, string? inline, out string value, out string error)
    {
        error = string.Empty;
        if (inline is not null)
        {
            value = inline;
        }
        else if (i + 1 < args.Count)
        {
            value = args[++i];
        }
        else
        {
            value = string.Empty;
            error = $"option '{name}' needs a value";
            return false;
        }

        if (value.Trim().Length == 0)
        {
            error = $"option '{name}' needs a non-empty value";
            return false;
        }

        return true;
    }
}
