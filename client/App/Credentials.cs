using LanTalk.Client.Cli;
using LanTalk.Client.Terminal;
using LanTalk.Client.Text;

namespace LanTalk.Client.App;

/// <summary>Finds the user name and password. The password is held in memory only, for logging in again after a drop.</summary>
internal static class Credentials
{
    public const string PasswordVariable = "LANTALK_PASSWORD";

    /// <summary>The user name from the plan, or asked on the terminal when there is one.</summary>
    public static string? User(SessionPlan plan, AppEnvironment env, out string error)
    {
        error = string.Empty;
        if (plan.User is { Length: > 0 } user)
        {
            return user;
        }

        if (env.IsInputRedirected)
        {
            error = "no user name: pass --user NAME (standard input is not a terminal, so lantalk cannot ask)";
            return null;
        }

        env.Error.Write("User name: ");
        env.Error.Flush();
        string? typed = InterruptiblePrompt.Line(env.In, env.Error)?.Trim();
        if (string.IsNullOrEmpty(typed))
        {
            error = typed is null ? "cancelled" : "no user name given";
            return null;
        }

        return typed;
    }

    /// <summary>True when the password will be typed at the prompt, so a wrong one can be asked for again.</summary>
    public static bool IsTyped(CommandLine command, AppEnvironment env) =>
        !command.PasswordStdin && env.GetVariable(PasswordVariable) is null && !env.IsInputRedirected;

    /// <summary>
    /// --password-stdin (first line of stdin) wins, then LANTALK_PASSWORD, then a prompt without echo when stdin
    /// is a terminal. Scripts without either get a usage error rather than a hang.
    /// </summary>
    /// <param name="attempt">The try at the terminal (1 the first); later ones say so in the prompt.</param>
    public static string? Password(CommandLine command, SessionPlan plan, string user, AppEnvironment env, out string error, int attempt = 1)
    {
        error = string.Empty;
        if (command.PasswordStdin)
        {
            // Only \n ends the line, as for the chat lines that follow: a \r is part of the password.
            string? line = LfLines.Read(env.In);
            if (line is null)
            {
                error = "--password-stdin: standard input ended before the password line";
            }

            return line;
        }

        if (env.GetVariable(PasswordVariable) is { } variable)
        {
            return variable;
        }

        if (env.IsInputRedirected)
        {
            error = $"no password: standard input is not a terminal; use --password-stdin or set {PasswordVariable}";
            return null;
        }

        string tries = attempt > 1 ? $" (try {attempt} of {SessionStarter.MaxPasswordTries})" : string.Empty;
        while (true)
        {
            string? password = Typed(env, $"Password for {user}@{plan.Server}{tries}: ");
            if (password is null)
            {
                error = "cancelled";
                return null;
            }

            if (password.Length > 0)
            {
                return password;
            }

            // Enter pressed by mistake is not a try: sent, it would use up one of the tries and count toward the
            // server's failed-login limit for the account (an outside audit, F15).
            env.Error.WriteLine("lantalk: the password is empty; type it, or Ctrl+D to cancel.");
        }
    }

    /// <summary>
    /// A new account's password: from --password-stdin or LANTALK_PASSWORD for scripts, else typed twice without
    /// echo, so a typo does not lock the user out of the account they just made.
    /// </summary>
    public static string? NewPassword(CommandLine command, SessionPlan plan, string user, AppEnvironment env, out string error)
    {
        if (command.PasswordStdin || env.GetVariable(PasswordVariable) is not null || env.IsInputRedirected)
        {
            return Password(command, plan, user, env, out error);
        }

        error = string.Empty;
        string? first = Typed(env, $"New password for {user}@{plan.Server}: ");
        if (first is null)
        {
            error = "cancelled";
            return null;
        }

        string? second = Typed(env, "Repeat it: ");
        if (second != first)
        {
            error = second is null ? "cancelled" : "the passwords differ; no account was created";
            return null;
        }

        if (first.Length == 0)
        {
            error = "the password is empty; no account was created";
            return null;
        }

        return first;
    }

    /// <summary>A password typed without echo after <paramref name="prompt"/>; null when Ctrl+C or Ctrl+D cancelled it.</summary>
    private static string? Typed(AppEnvironment env, string prompt)
    {
        env.Error.Write(prompt);
        env.Error.Flush();
        string? password = InterruptiblePrompt.Read(() => PasswordPrompt.Read(env.Terminal()));
        // The Enter was not echoed either: the next output starts on a line of its own.
        env.Error.WriteLine();
        return password;
    }
}
