using System.Text.RegularExpressions;

namespace LanTalk.Server.Settings;

/// <summary>The words for a data file the server may not read or write: the system's reason and what to do about it.</summary>
internal static partial class DataFileProblem
{
    /// <summary>
    /// The command line of the one-shot command this process runs (`user add`, `backup`, `config check`), or null when
    /// it is the server. Set once by Program before anything reads a data file: the fix differs (see <see cref="Advise"/>).
    /// </summary>
    public static IReadOnlyList<string>? CommandLine { get; set; }

    /// <summary>
    /// <paramref name="ex"/>'s message, with the fix when it is a permission problem: "Access to the path ... is denied"
    /// alone named the file but left the operator to guess (fault injection, 2026-12-04).
    /// </summary>
    public static string Explain(Exception ex) => ex is UnauthorizedAccessException
        ? Advise(ex.Message, OwnerOf(DeniedPath().Match(ex.Message) is { Success: true } m ? m.Groups[1].Value : null), Environment.UserName, CommandLine)
        : ex.Message;

    /// <summary>
    /// The fix for a denied <paramref name="message"/>. A command run as another account than the files' owner must run
    /// as that owner: "make it writable by the account the server runs as (alice): chown ..." said to `user add` run as
    /// alice on the service's directory would have locked the server out of its own files (an operations audit, 2026-12-07).
    /// </summary>
    /// <param name="owner">The account that owns the file (or the nearest directory above it that could be looked at), or null.</param>
    /// <param name="me">The account this process runs as.</param>
    /// <param name="commandLine">As <see cref="CommandLine"/>: this command's executable and arguments, or null for the server.</param>
    internal static string Advise(string message, string? owner, string me, IReadOnlyList<string>? commandLine)
    {
        string denied = message.TrimEnd('.');
        bool someoneElses = owner is not null && owner != me;
        if (commandLine is not null)
        {
            return someoneElses
                ? $"{denied}. {RunAs(owner!, me, commandLine)}"
                : $"{denied}. Run this command as the account the server runs as (sudo -u ACCOUNT ...), or, for a file of your own, chmod u+rw it";
        }

        return someoneElses
            ? $"{denied}. It belongs to {owner}, and the server runs as {me}: run the server as {owner}, or give the data directory "
              + $"and everything in it to {me} (sudo chown -R {me}: DATA_DIR)"
            : $"{denied}. Make the file (and the data directory) readable and writable by the account the server runs as "
              + $"({me}): chown or chmod u+rw it, or run the server as the file's owner";
    }

    /// <summary>
    /// For a one-shot command (see <see cref="CommandLine"/>) that met <paramref name="path"/> of another account: whose it
    /// is and the command to run as that account; null for the server, or for a file of this account's own.
    /// </summary>
    public static string? RunAsOwner(string path) =>
        CommandLine is { } line && OwnerOf(path) is { } owner && owner != Environment.UserName ? RunAs(owner, Environment.UserName, line) : null;

    private static string RunAs(string owner, string me, IReadOnlyList<string> commandLine) =>
        $"It belongs to {owner}, and this command runs as {me}: run it as {owner}, the account whose files these are, "
        + $"for example: sudo -u {owner} {string.Join(' ', commandLine.Select(Hosting.Executable.Quote))} "
        + $"(a chown to {me} would lock the server out of its own files)";

    /// <summary>The owner's name of <paramref name="path"/>, or of the nearest directory above it that can be looked at.</summary>
    private static string? OwnerOf(string? path)
    {
        for (string? current = path; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (Users.UnixStat.Of(current) is { } info)
            {
                return AccountName(info.Uid);
            }
        }

        return null;
    }

    /// <summary>The account name of <paramref name="uid"/> from /etc/passwd, else "uid N" (an account from LDAP, say).</summary>
    private static string AccountName(uint uid)
    {
        try
        {
            foreach (string line in File.ReadLines("/etc/passwd"))
            {
                string[] fields = line.Split(':');
                if (fields.Length > 2 && uint.TryParse(fields[2], out uint id) && id == uid)
                {
                    return fields[0];
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Named by number instead.
        }

        return $"uid {uid}";
    }

    [GeneratedRegex("^Access to the path '(.+)' is denied")]
    private static partial Regex DeniedPath();
}
