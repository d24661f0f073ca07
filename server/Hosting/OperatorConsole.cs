using System.Globalization;
using LanTalk.Core.Terminal;
using LanTalk.Server.Cli;
using LanTalk.Server.Net;
using LanTalk.Server.Users;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Operator commands typed at the server's terminal, with the chat client's line editor: a prompt, history, Tab
/// completion of commands and user names, and log lines printed above the input row (the console's queue hands its
/// lines to the editor while it runs). Reads keys on its own background thread, which never keeps the process alive
/// after a stop. Without a terminal on both ends, or without the queue, it falls back to reading plain lines.
/// </summary>
/// <paramref name="reload"/> is what <c>reload</c> does (ConfigReload); null where there is no configuration to read again.
internal sealed class OperatorConsole(RunningServer running, Action<string> requestStop, TextWriter output, QueuedConsole? queue = null, Action? reload = null)
{
    public const string Prompt = "lantalk-server> ";

    private static readonly NLog.Logger s_log = NLog.LogManager.GetLogger("LanTalk.Server.Console");

    // How long a first "stop" waits for the second one while sessions are online.
    private static readonly TimeSpan StopConfirmWindow = TimeSpan.FromSeconds(10);

    // Guards _stopped against the key thread bringing the prompt back while the server is stopping.
    private readonly Lock _gate = new();
    // How long a stop waits for the editor: a redraw blocked on a terminal nobody reads must not hold the stop up.
    private static readonly TimeSpan EditorStopWait = TimeSpan.FromSeconds(1);

    private LineEditor? _editor;
    private bool _stopped;

    // Set while the line editor runs: only a person at a terminal is asked to confirm a stop (a script piping
    // "stop" means it), and Tab or Up can put "stop" on the line by accident.
    private bool _interactive;
    private long _stopAskedTicks;

    /// <summary>The command names, for Tab.</summary>
    public static IReadOnlyList<string> Commands => ConsoleCommands.Names;

    public static string Help => ConsoleCommands.Help;

    public void Start()
    {
        if (queue is not null && !Console.IsInputRedirected && !Console.IsOutputRedirected)
        {
            StartEditor(queue);
            return;
        }

        var thread = new Thread(ReadLoop) { IsBackground = true, Name = "operator console" };
        thread.Start();
    }

    /// <summary>Clears the input row and gives the console back, so the shutdown log prints plainly.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            if (_interactive)
            {
                SetControlCAsInput(false);
            }

            _editor?.TryStop(EditorStopWait);
            if (queue is not null)
            {
                queue.Sink = queue.Terminal;
            }
        }
    }

    private void StartEditor(QueuedConsole lines)
    {
        // The editor draws its input row on the terminal itself; everything else printed reaches it through the
        // queue's thread, so a terminal that stops reading blocks neither the network threads nor the logging.
        var terminal = new SystemTerminal(lines.Terminal);
        var editor = new LineEditor(terminal, Prompt) { Completer = Complete };
        _editor = editor;
        _interactive = true;
        lines.Sink = TextWriter.Synchronized(new EditorWriter(editor));
        output.WriteLine("Operator console ready; type 'help' for the commands (Tab completes, Up recalls).");
        editor.Start();
        // Ctrl+C reaches the editor as a key, as in the client: it throws a half-typed line away, and on an empty line
        // it is 'stop', which asks first while sessions are online. As a signal it stopped the server at once, with a
        // draft on the line and eight sessions online (a UX audit, 2026-12-05). kill -INT still stops it at once.
        SetControlCAsInput(true);
        var thread = new Thread(() => KeyLoop(terminal, editor)) { IsBackground = true, Name = "operator console" };
        thread.Start();
    }

    private void KeyLoop(SystemTerminal keys, LineEditor editor)
    {
        try
        {
            while (true)
            {
                // A paste arrives as many keys at once; the editor redraws once they are all in.
                var key = keys.ReadKey();
                var result = editor.HandleKey(key, moreInput: keys.KeyAvailable);
                if (result.Kind == EditorEventKind.Quit)
                {
                    // Ctrl+C (or Ctrl+D) on an empty line: 'stop', shown as such.
                    result = new EditorEvent(EditorEventKind.Submit, "stop");
                }

                if (result.Kind == EditorEventKind.Submit && result.Line.Trim().Length > 0)
                {
                    // The command stays on screen, as in a shell; the editor steps aside while it runs, so its
                    // output and a password prompt are not drawn over, and the prompt comes back below.
                    editor.PrintAbove(Prompt + result.Line);
                    editor.Stop();
                    try
                    {
                        Run(result.Line);
                    }
                    finally
                    {
                        lock (_gate)
                        {
                            if (!_stopped)
                            {
                                editor.Start();
                            }
                        }
                    }
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The terminal went away; the server runs on.
        }
    }

    private static void SetControlCAsInput(bool value)
    {
        try
        {
            Console.TreatControlCAsInput = value;
        }
        catch (IOException)
        {
            // Not a real terminal: Ctrl+C stays a signal, which stops the server (ShutdownSignals).
        }
    }

    private void ReadLoop()
    {
        output.WriteLine("Operator console ready; type 'help' for the commands.");
        while (Console.ReadLine() is { } line)
        {
            Run(line);
        }
    }

    private void Run(string line)
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
        catch (Exception ex)
        {
            // A bug in one command must not end the server and every session with it (this thread's exception would).
            s_log.Error(ex, "Console command '{Command}' failed", line.Trim());
            output.WriteLine($"'{line.Trim()}' failed with an internal error ({ex.GetType().Name}); the server goes on. The log has the details.");
        }
    }

    /// <summary>Tab: a command as the first word; then account names (online ones for kick).</summary>
    public CompletionResult Complete(string buffer, int cursor)
    {
        string head = buffer[..cursor];
        int space = head.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return WordCompletion.Complete(buffer, cursor, 0, WordCompletion.WordEnd(buffer, 0), Commands);
        }

        string verb = head[..space].ToLowerInvariant();
        int start = space + 1;
        while (start < buffer.Length && buffer[start] == ' ')
        {
            start++;
        }

        if (cursor < start || head[start..].Contains(' ', StringComparison.Ordinal))
        {
            return CompletionResult.Unchanged(buffer, cursor);
        }

        IReadOnlyList<string> names = verb switch
        {
            "kick" => [.. running.Server.OnlineSessions.Select(s => s.UserName)],
            "passwd" or "deluser" => [.. running.Users.All.Select(u => u.Name)],
            _ => [],
        };
        return WordCompletion.Complete(buffer, cursor, start, WordCompletion.WordEnd(buffer, start), names);
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
        if (verb is "quit" or "exit")
        {
            verb = "stop";
        }

        if (verb != "stop" && _stopAskedTicks != 0)
        {
            // Anything else typed between the two "stop"s cancels the first, and says so: a silent cancel left the
            // operator unsure whether a later "stop" would stop at once (an operations audit, 2026-12-06).
            bool pending = Environment.TickCount64 - _stopAskedTicks <= (long)StopConfirmWindow.TotalMilliseconds;
            _stopAskedTicks = 0;
            if (pending)
            {
                output.WriteLine("The stop is cancelled; the server keeps running.");
            }
        }

        if (ConsoleCommands.Find(verb) is { TakesNothing: true } bare && rest.Length > 0)
        {
            output.WriteLine($"'{bare.Name}' takes nothing after it (got '{rest}'); type 'help'.");
            return;
        }

        if (ConsoleCommands.Find(verb) is { TakesOneName: true } named && rest.Any(char.IsWhiteSpace))
        {
            output.WriteLine($"'{named.Name}' takes one user name, and user names have no spaces (got '{rest}'); nothing was done.");
            return;
        }

        switch (verb)
        {
            case "help" or "?":
                // WriteLine: the help's last line must end, or the next prompt runs into it.
                output.WriteLine(Help.TrimEnd());
                break;
            case "who":
                Who();
                break;
            case "stats":
                Stats();
                break;
            case "users":
                UserCommands.List(running.Users, output, addCommand: "adduser NAME");
                break;
            case "adduser" when first.Length > 0:
                AddUser(first);
                break;
            case "passwd" when first.Length > 0:
                Passwd(first);
                break;
            case "deluser" when first.Length > 0:
                if (running.Users.Remove(first))
                {
                    s_log.Info("Account '{User}' removed at the operator console", first);
                    output.WriteLine($"Removed '{first}'.");
                }
                else
                {
                    output.WriteLine($"No user named '{first}'.");
                }

                break;
            case "kick" when first.Length > 0:
                string reason = rest[first.Length..].Trim();
                bool kicked = running.Server.Kick(first, reason);
                output.WriteLine(kicked ? $"Kicked '{first}'." : $"'{first}' is not online.");
                if (kicked)
                {
                    SayIfCut("reason", reason, $"{first} gets");
                }

                break;
            case "say" when rest.Length > 0:
                running.Server.Notice(rest);
                SayIfCut("notice", rest, "clients get");
                break;
            case "reload" when reload is not null:
                // On this thread, so its log lines (what was applied, what needs a restart) come before the next prompt.
                reload();
                break;
            case "reload":
                output.WriteLine("'reload' is not available in this console; restart the server to read its files again.");
                break;
            case "stop":
                StopOrAsk(running.Server.OnlineSessions.Count);
                break;
            case "adduser" or "passwd" or "deluser" or "kick" or "say":
                output.WriteLine($"'{verb}' needs an argument; type 'help'.");
                break;
            default:
                output.WriteLine($"Unknown command '{verb}'; type 'help'.");
                break;
        }
    }

    /// <summary>
    /// Says so when <paramref name="text"/> is longer than a protocol text field: the packet cuts it (docs/PROTOCOL.md,
    /// Limits), and a pasted 5,000-byte notice was reported as sent while every client lost its end (an operations audit, 2026-12-07).
    /// </summary>
    private void SayIfCut(string what, string text, string receiversGet)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (bytes > LanTalk.Core.Packets.WireStrings.MaxTextBytes)
        {
            output.WriteLine($"Note: the {what} is {bytes} bytes; {receiversGet} its first {LanTalk.Core.Packets.WireStrings.MaxTextBytes} (the protocol's limit), the rest was cut.");
        }
    }

    /// <summary>Stops at once when nobody would notice or a script asked; asks a person to repeat it otherwise.</summary>
    private void StopOrAsk(int sessions)
    {
        long now = Environment.TickCount64;
        bool confirmed = _stopAskedTicks != 0 && now - _stopAskedTicks <= (long)StopConfirmWindow.TotalMilliseconds;
        if (!_interactive || sessions == 0 || confirmed)
        {
            _stopAskedTicks = 0;
            requestStop("operator command");
            return;
        }

        _stopAskedTicks = now;
        output.WriteLine($"{sessions} session(s) online: type 'stop' (or press Ctrl+C) again within {StopConfirmWindow.TotalSeconds:0} s to disconnect them and stop the server; anything else cancels.");
    }

    /// <summary>For tests: behave as at a terminal, where a stop with sessions online is confirmed.</summary>
    internal void ActAsInteractive() => _interactive = true;

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

        output.WriteLine($"{Online(online)} (MaxClients {running.Server.Settings.MaxClients}), {running.Server.ConnectionCount} connection(s)");
    }

    private void Stats()
    {
        output.WriteLine($"Online: {Online(running.Server.OnlineSessions)} (MaxClients {running.Server.Settings.MaxClients}), {running.Server.ConnectionCount} connection(s)");
        if (running.History is not { } history)
        {
            output.WriteLine("History: off since start (the data directory could not be written; see the log); restart once it can be");
            return;
        }

        var h = history.Stats();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"History: {h.FilePath}: {Megabytes(h.DatabaseBytes)} MB + {Megabytes(h.WalBytes)} MB write-ahead log, {h.Messages:N0} message(s), last id {h.LastId}, {h.PendingOffline:N0} waiting for offline users"));
        output.WriteLine(h.Available
            ? $"History commits: {history.Transactions:N0} ({history.Operations:N0} writes) since start"
            : "History: CANNOT COMMIT (disk full, read-only or I/O error): messages are refused with StorageUnavailable; see the log");
    }

    /// <summary>"3 user(s) in 4 session(s)": a user with two windows is one user, and MaxClients counts sessions.</summary>
    private static string Online(IReadOnlyCollection<SessionInfo> sessions) =>
        $"{sessions.Select(s => s.UserName).Distinct(UserNames.Comparer).Count()} user(s) in {sessions.Count} session(s)";

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    private void AddUser(string name)
    {
        if (UserNames.NewAccountProblem(name, running.Server.Settings.MaxUserNameLength, running.Server.Settings.GuestPrefix) is { } problem)
        {
            output.WriteLine($"'{name}' is not a valid user name: {problem}");
            return;
        }

        if (running.Users.Find(name) is not null)
        {
            output.WriteLine($"'{name}' already exists; use passwd to change the password.");
            return;
        }

        if (PasswordReader.ReadNew(fromStdin: false, name, running.Server.Settings.MinPasswordLength, out string error) is { } password)
        {
            running.Users.Add(name, password);
            s_log.Info("Account '{User}' added at the operator console", name);
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

        if (PasswordReader.ReadNew(fromStdin: false, name, running.Server.Settings.MinPasswordLength, out string error) is { } password)
        {
            running.Users.SetPassword(name, password);
            s_log.Info("Account '{User}' has another password, set at the operator console", name);
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
