using System.Text;

namespace LanTalk.Server.Cli;

/// <summary>Reads a new password: twice without echo on a terminal, or one line from standard input for scripts.</summary>
public static class PasswordReader
{
    /// <summary>Null (with <paramref name="error"/>) when no usable password was given, or it is shorter than <paramref name="minLength"/>.</summary>
    public static string? ReadNew(bool fromStdin, string forWhom, int minLength, out string error)
    {
        error = string.Empty;
        string? password;
        if (fromStdin)
        {
            password = Console.In.ReadLine();
            if (password is null)
            {
                error = "--password-stdin: standard input is empty; pipe the password in, one line";
                return null;
            }
        }
        else
        {
            if (Console.IsInputRedirected)
            {
                error = "standard input is not a terminal; use --password-stdin to read the password from it";
                return null;
            }

            password = ReadHidden($"New password for {forWhom}: ");
            if (password is null || ReadHidden("Repeat it: ") is not { } again || again != password)
            {
                error = password is null ? "cancelled" : "the passwords differ; nothing was changed";
                return null;
            }
        }

        if (Users.PasswordPolicy.Problem(password, minLength) is { } problem)
        {
            error = problem + "; nothing was changed";
            return null;
        }

        return password;
    }

    /// <summary>Reads a line without echoing it; null when the user pressed Escape, Ctrl+C or Ctrl+D.</summary>
    /// <remarks>
    /// Ctrl+C is read as a key here, not left to raise SIGINT: at the operator console's "New password" prompt it
    /// stopped the whole server and disconnected everyone, where a user only meant to cancel (a UX audit, 2026-12-05).
    /// </remarks>
    public static string? ReadHidden(string prompt)
    {
        bool controlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            return ReadHiddenKeys(prompt);
        }
        finally
        {
            Console.TreatControlCAsInput = controlC;
        }
    }

    private static string? ReadHiddenKeys(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.Error.WriteLine();
                    return text.ToString();
                case ConsoleKey.Escape:
                    Console.Error.WriteLine();
                    return null;
                case ConsoleKey.Backspace:
                    if (text.Length > 0)
                    {
                        text.Length--;
                    }

                    break;
                default:
                    if ((key.KeyChar == '\u0004' && text.Length == 0) || key.KeyChar == '\u0003' || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
                    {
                        Console.Error.WriteLine();
                        return null;
                    }

                    if (!char.IsControl(key.KeyChar))
                    {
                        text.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
