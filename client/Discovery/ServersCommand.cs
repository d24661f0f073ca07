using LanTalk.Client.App;
using LanTalk.Client.Cli;

namespace LanTalk.Client.Discovery;

/// <summary>`lantalk servers [--json]`: browses the LAN and lists what answered. Exit 0 when at least one server was found.</summary>
internal static class ServersCommand
{
    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        if (!command.Json)
        {
            env.Error.WriteLine($"Looking for LanTalk servers on the LAN ({env.BrowseDuration.TotalSeconds:0.#} s)...");
        }

        var result = await env.Browse(env.BrowseDuration, CancellationToken.None).ConfigureAwait(false);
        if (ServerList.ConflictWarning(result.Servers) is { } warning)
        {
            env.Error.WriteLine(warning);
        }

        if (command.Json)
        {
            env.Out.WriteLine(ServerList.Json(result));
        }
        else if (result.Servers.Count == 0)
        {
            env.Error.WriteLine(ServerList.NoneFound(result, env.BrowseDuration));
        }
        else
        {
            env.Out.WriteLine($"{result.Servers.Count} LanTalk server(s) on the LAN:");
            env.Out.Write(ServerList.Table(result.Servers));
        }

        return result.Servers.Count > 0 ? ExitCode.Ok : ExitCode.Unreachable;
    }
}
