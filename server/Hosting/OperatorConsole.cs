using System.Globalization;
using LanTalk.Server.Cli;
using LanTalk.Server.Users;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Operator commands typed at the server's terminal. Runs on its own background thread because Console.ReadLine
/// blocks; a background thread never keeps the process alive after a stop.
/// </summary>
internal sealed class OperatorConsole(RunningServer running, Action<string> requestStop, TextWriter output)
{
    public const string Help = """
        Commands:
          help                  this list
          who                   users online, with address and time connected
          stats                 connections, and the message history: size on disk, messages, offline queue
          users                 every account, with last login
          adduser NAME          create an account (asks for the password twice)
          passwd NAME           set a new password
          deluser NAME          delete an account; disconnects that user if online
          kick NAME [REASON]    disconnect a user (they may log in again)
          say TEXT              send a server notice to everyone online
          stop                  tell every client and stop the server (also Ctrl+C)
        """;

    public void Start()
    {
        var thread = new Thread(ReadLoop) { IsBackground = true, Name = "operator console" };
        thread.Start();
    }

    private void ReadLoop()
    {
        output.WriteLine("Operator console ready; type 'help' for the commands.");
        while (Console.ReadLine() is { } line)
        {
            try
            {
                Execute(line.Trim());
            }
            catch (UserStoreException ex)
            {
                output.WriteLine(ex.Message);
            }
            catch (IOException ex)
            {
                output.WriteLine($"failed: {ex.Message}");
            }
        }
    }

    /// <summary>Runs one command line; public so tests can drive it without a terminal.</summary>
    public void Execute(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        int space = line.IndexOf(' ', StringComparison.Ordinal);
        string verb = (space < 0 ? line : line[..space]).ToLowerInvariant();
        string rest = space < 0 ? string.Empty : line[(space + 1)..].Trim();
        string first = rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        switch (verb)
        {
            case "help" or "?":
                output.Write(Help);
                break;
            case "who":
                Who();
                break;
            case "stats":
                Stats();
                break;
            case "users":
                UserCommands.List(running.Users, output);
                break;
            case "adduser" when first.Length > 0:
                AddUser(first);
                break;
            case "passwd" when first.Length > 0:
                Passwd(first);
                break;
            case "deluser" when first.Length > 0:
                output.WriteLine(running.Users.Remove(first) ? $"Removed '{first}'." : $"No user named '{first}'.");
                break;
            case "kick" when first.Length > 0:
                string reason = rest[first.Length..].Trim();
                output.WriteLine(running.Server.Kick(first, reason) ? $"Kicked '{first}'." : $"'{first}' is not online.");
                break;
            case "say" when rest.Length > 0:
                running.Server.Notice(rest);
                break;
            case "stop" or "quit" or "exit":
                requestStop("operator command");
                break;
            case "adduser" or "passwd" or "deluser" or "kick" or "say":
                output.WriteLine($"'{verb}' needs an argument; type 'help'.");
                break;
            default:
                output.WriteLine($"Unknown command '{verb}'; type 'help'.");
                break;
        }
    }

    private void Who()
    {
        var online = running.Server.OnlineSessions;
        if (online.Count == 0)
        {
            output.WriteLine("Nobody is online.");
            return;
        }

        var now = DateTimeOffset.UtcNow;
        int width = Math.Max(4, online.Max(s => s.UserName.Length));
        output.WriteLine($"{"USER".PadRight(width)}  {"ADDRESS",-40}  CONNECTED");
        foreach (var s in online.OrderBy(s => s.UserName, StringComparer.OrdinalIgnoreCase))
        {
            output.WriteLine($"{s.UserName.PadRight(width)}  {s.Remote,-40}  {Duration(now - s.LoginTime)}");
        }

        output.WriteLine($"{online.Count} online (MaxClients {running.Server.Settings.MaxClients}), {running.Server.ConnectionCount} connection(s)");
    }

    private void Stats()
    {
        output.WriteLine($"Online: {running.Server.OnlineSessions.Count} user(s) (MaxClients {running.Server.Settings.MaxClients}), {running.Server.ConnectionCount} connection(s)");
        var h = running.History.Stats();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"History: {h.FilePath}: {Megabytes(h.DatabaseBytes)} MB + {Megabytes(h.WalBytes)} MB write-ahead log, {h.Messages:N0} message(s), last id {h.LastId}, {h.PendingOffline:N0} waiting for offline users"));
        output.WriteLine(h.Available
            ? $"History commits: {running.History.Transactions:N0} ({running.History.Operations:N0} writes) since start"
            : "History: CANNOT COMMIT (disk full, read-only or I/O error): messages are refused with StorageUnavailable; see the log");
    }

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    private void AddUser(string name)
    {
        if (!UserNames.IsValid(name, running.Server.Settings.MaxUserNameLength, out string problem))
        {
            output.WriteLine($"'{name}' is not a valid user name: {problem}");
            return;
        }

        if (running.Users.Find(name) is not null)
        {
            output.WriteLine($"'{name}' already exists; use passwd to change the password.");
            return;
        }

        if (PasswordReader.ReadNew(fromStdin: false, name, out string error) is { } password)
        {
            running.Users.Add(name, password);
            output.WriteLine($"Added '{name}'.");
        }
        else
        {
            output.WriteLine(error);
        }
    }

    private void Passwd(string name)
    {
        if (running.Users.Find(name) is null)
        {
            output.WriteLine($"No user named '{name}'.");
            return;
        }

        if (PasswordReader.ReadNew(fromStdin: false, name, out string error) is { } password)
        {
            running.Users.SetPassword(name, password);
            output.WriteLine($"Changed the password of '{name}'.");
        }
        else
        {
            output.WriteLine(error);
        }
    }

    private static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}h {t.Minutes:00}m"
        : t.ToString(@"m\m\ ss\s", CultureInfo.InvariantCulture);
}
