using LanTalk.Server.Discovery;
using LanTalk.Server.Net;
using LanTalk.Server.Users;
using NLog;

namespace LanTalk.Server.Hosting;

/// <summary>A started server with its account store; stopping it tells every client and flushes Users.xml.</summary>
internal sealed class RunningServer(ChatServer server, UserStore users, string dataDirectory)
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Host");

    public ChatServer Server { get; } = server;

    public UserStore Users { get; } = users;

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The mDNS announcer, when Discovery is On and mDNS could start; it says goodbye first on stop.</summary>
    public MdnsResponder? Discovery { get; init; }

    public async Task StopAsync(string why)
    {
        s_log.Info("Stopping: {Reason}", why);
        if (Discovery is not null)
        {
            await Discovery.DisposeAsync().ConfigureAwait(false);
        }

        await Server.StopAsync().ConfigureAwait(false);
        Users.Dispose();
        s_log.Info("lantalk-server stopped");
    }
}
