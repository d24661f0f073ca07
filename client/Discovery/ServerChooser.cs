using System.Globalization;
using LanTalk.Client.App;
using LanTalk.Client.Cli;
using LanTalk.Client.Settings;
using LanTalk.Client.Terminal;
using LanTalk.Core.Discovery;

namespace LanTalk.Client.Discovery;

/// <summary>
/// `lantalk` with no server given and none remembered: browse the LAN for a moment. One server: say so and use it.
/// Several: list them and let the user pick (a script cannot pick, so it is told to name one). None: explain why
/// that can happen and how to give the address.
/// </summary>
internal static class ServerChooser
{
    /// <summary>The command with the found server filled in, or null (with the reason printed) when there is none to use.</summary>
    public static async Task<CommandLine?> ChooseAsync(CommandLine command, AppEnvironment env)
    {
        if (command.Server is not null || SettingsStore.Load(env.Paths.SettingsFile, []).Host is not null)
        {
            return command;
        }

        env.Error.WriteLine($"No server given and none remembered: looking for LanTalk servers on the LAN ({env.BrowseDuration.TotalSeconds:0.#} s)...");
        var result = await env.Browse(env.BrowseDuration, CancellationToken.None).ConfigureAwait(false);
        var servers = result.Servers;
        if (servers.Count == 0)
        {
            env.Error.WriteLine(ServerList.NoneFound(result, env.BrowseDuration));
            return null;
        }

        if (ServerList.ConflictWarning(servers) is { } warning)
        {
            env.Error.WriteLine(warning);
        }

        DiscoveredServer chosen;
        if (servers.Count == 1)
        {
            chosen = servers[0];
            env.Error.WriteLine($"Found one: {ServerList.Shown(chosen.Instance)} at {ServerList.Address(chosen)} ({ServerList.Shown(chosen.HostName)}). Connecting.");
        }
        else if (env.IsInputRedirected)
        {
            env.Error.WriteLine($"Found {servers.Count} LanTalk servers; name one with --server (standard input is not a terminal, so lantalk cannot ask):");
            env.Error.Write(ServerList.Table(servers));
            return null;
        }
        else if (Pick(servers, env) is { } picked)
        {
            chosen = picked;
        }
        else
        {
            return null;
        }

        return command with
        {
            // Remembered by its .local name, not its address: a DHCP lease or a moved server changes the address, and
            // the client resolves the name again at every connect and reconnect (multicast DNS, as it was found).
            Server = ServerList.Remembered(chosen),
            // The TXT record says whether the server speaks TLS; without TLS, connecting with TLS could only fail.
            Plaintext = command.Plaintext || chosen.Tls == false,
            Announced = chosen,
        };
    }

    private static DiscoveredServer? Pick(IReadOnlyList<DiscoveredServer> servers, AppEnvironment env)
    {
        env.Error.WriteLine($"Found {servers.Count} LanTalk servers:");
        env.Error.Write(ServerList.Table(servers));
        // Bounded: three tries, then give up rather than loop on a confused terminal.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            env.Error.Write($"Which one? [1-{servers.Count}] ");
            env.Error.Flush();
            // Ctrl+C or Ctrl+D: "cancelled", as at the other prompts, not a silent exit 3.
            string answer = InterruptiblePrompt.Line(env.In, env.Error)?.Trim() ?? throw new PromptCancelledException();

            if (int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= servers.Count)
            {
                return servers[n - 1];
            }

            env.Error.WriteLine($"Type a number from 1 to {servers.Count}.");
        }

        env.Error.WriteLine("No server chosen; give one with: lantalk HOST[:PORT]");
        return null;
    }
}
