using LanTalk.Server.Discovery;
using LanTalk.Server.History;
using LanTalk.Server.Net;
using LanTalk.Server.Users;
using NLog;

namespace LanTalk.Server.Hosting;

/// <summary>A started server with its account store and history; stopping it tells every client, flushes Users.xml and closes history.db.</summary>
internal sealed class RunningServer(ChatServer server, UserStore users, MessageStore? history, string dataDirectory)
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Host");

    public ChatServer Server { get; } = server;

    public UserStore Users { get; } = users;

    /// <summary>Open and ready, or null when the data directory could not be written at start; the chat protocol does not use it yet (issue 14's protocol work will).</summary>
    public MessageStore? History { get; } = history;

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>
    /// The running settings came from Settings.xml (at start or at the last reload), not from the built-in defaults.
    /// A reload that finds no file means a file gone only then; under ConfigReload's lock.
    /// </summary>
    public bool SettingsFromFile { get; set; }

    /// <summary>The mDNS announcer, when Discovery is On and mDNS could start; it says goodbye first on stop.</summary>
    public MdnsResponder? Discovery { get; init; }

    /// <summary>lantalk-server.lock, released last, once every file of the data directory is written and closed.</summary>
    public IDisposable? DirectoryLock { get; init; }

    /// <summary>Stops everything; false when something could not be saved (the ERROR above says what), and the process should exit with 1.</summary>
    public async Task<bool> StopAsync(string why)
    {
        s_log.Info("Stopping: {Reason}", why);
        if (Discovery is not null)
        {
            await Discovery.DisposeAsync().ConfigureAwait(false);
        }

        await Server.StopAsync().ConfigureAwait(false);
        Users.Dispose();
        // After the server: every session is gone, so what is queued is all there will be. The writer commits it and
        // closes the file (a clean close checkpoints the WAL into history.db and removes the -wal file).
        if (History is not null)
        {
            await History.DisposeAsync().ConfigureAwait(false);
        }

        DirectoryLock?.Dispose();
        if (Server.RoomsNotSaved is not null)
        {
            s_log.Error("lantalk-server stopped, but room changes were not saved (see the ERROR above); exit code {Code}", Cli.ExitCodes.Failure);
            return false;
        }

        s_log.Info("lantalk-server stopped");
        return true;
    }
}
