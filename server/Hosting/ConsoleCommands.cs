namespace LanTalk.Server.Hosting;

/// <summary>
/// The console's commands in one table. Tab completion and the help text both come from it: a hand-kept completion
/// list once lacked <c>stats</c>, so "st" + Tab became "stop", which stopped the server.
/// </summary>
internal static class ConsoleCommands
{
    public static IReadOnlyList<ConsoleCommand> All { get; } =
    [
        new("help", "", "this list"),
        new("who", "", "sessions online, with user, address and time connected"),
        new("stats", "", "connections, and the message history: size on disk, messages, offline queue"),
        new("users", "", "every account, with last login"),
        new("adduser", "NAME", "create an account (asks for the password twice)"),
        new("passwd", "NAME", "set a new password"),
        new("deluser", "NAME", "delete an account; disconnects that user if online"),
        new("kick", "NAME [REASON]", "disconnect a user (they may log in again)"),
        new("say", "TEXT", "send a server notice to everyone online"),
        new("reload", "", "read Settings.xml and NLog.config again (limits apply now; the rest is named for a restart)"),
        new("stop", "", "tell every client and stop the server (also Ctrl+C); with sessions online, twice"),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(c => c.Name)];

    public static string Help { get; } = "Commands:\n" + string.Join('\n', All.Select(c =>
        "  " + (c.Name + (c.TakesNothing ? string.Empty : " " + c.Arguments)).PadRight(22) + c.Description));

    public static ConsoleCommand? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
