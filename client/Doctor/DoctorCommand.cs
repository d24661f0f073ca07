using System.Net;
using LanTalk.Client.App;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Discovery;
using LanTalk.Client.Settings;
using LanTalk.Core.Client;

namespace LanTalk.Client.Doctor;

/// <summary>
/// `lantalk doctor [HOST[:PORT]] [--user NAME] [--json]`: checks each step from name to login, explains each in
/// plain words, and stops at the first failure with what to do. Exit 0 only when nothing failed.
/// </summary>
internal static class DoctorCommand
{
    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        var steps = new List<DoctorStep>();
        ExitCode failure = ExitCode.Ok;
        void Add(DoctorStep step, ExitCode code = ExitCode.Unreachable)
        {
            steps.Add(step);
            if (!command.Json)
            {
                env.Out.WriteLine(DoctorReport.Line(step));
                env.Out.Flush();
            }

            if (step.Status == StepStatus.Fail && failure == ExitCode.Ok)
            {
                failure = code;
            }
        }

        if (command.Server is null && SettingsStore.Load(env.Paths.SettingsFile, []).Host is null)
        {
            // No server named and none remembered: the one the LAN announces, if there is exactly one.
            var found = await env.Browse(env.BrowseDuration, CancellationToken.None).ConfigureAwait(false);
            if (found.Servers.Count != 1)
            {
                string detail = found.Servers.Count == 0 ? ServerList.NoneFound(found, env.BrowseDuration)
                    : $"{found.Servers.Count} servers answered; name one:\n{ServerList.Table(found.Servers).TrimEnd()}";
                Add(new DoctorStep("server", StepStatus.Fail, detail, "Run: lantalk doctor HOST[:PORT]"));
                return Finish(command, env, "(none)", steps, failure);
            }

            // The name lantalk would remember for it, so the trust checked is the one lantalk keeps.
            command = command with { Server = ServerList.Remembered(found.Servers[0]), Plaintext = command.Plaintext || found.Servers[0].Tls == false };
            Add(new DoctorStep("server", StepStatus.Pass, $"no server given: checking the one announced on the LAN, {found.Servers[0]}"));
        }

        if (!SessionPlan.TryResolve(command with { Kind = CommandKind.Chat }, env, out var plan, out string error))
        {
            env.Error.WriteLine($"lantalk: {error}");
            return ExitCode.Usage;
        }

        var server = plan.Server;
        if (!command.Json)
        {
            env.Out.WriteLine($"lantalk doctor: checking {server}{(plan.User is { } u && command.User is not null ? $" as {u}" : string.Empty)}");
        }

        await RunStepsAsync(command, env, plan, Add).ConfigureAwait(false);
        return Finish(command, env, server.ToString(), steps, failure);
    }

    private static async Task RunStepsAsync(CommandLine command, AppEnvironment env, SessionPlan plan, Action<DoctorStep, ExitCode> add)
    {
        var server = plan.Server;
        var (name, addresses) = await DoctorChecks.ResolveAsync(server.Host).ConfigureAwait(false);
        add(name, ExitCode.Unreachable);
        if (addresses.Count == 0)
        {
            return;
        }

        var (connect, address) = await DoctorChecks.ConnectAsync(addresses, server.Port).ConfigureAwait(false);
        add(connect, ExitCode.Unreachable);
        if (address is null)
        {
            return;
        }

        var (helloSteps, client) = await DoctorChecks.HelloAsync(address, plan.Connect).ConfigureAwait(false);
        foreach (var step in helloSteps)
        {
            add(step, step.Detail.Contains("protocol versions", StringComparison.Ordinal) ? ExitCode.VersionMismatch : ExitCode.Unreachable);
        }

        if (client is null)
        {
            return;
        }

        await using (client.ConfigureAwait(false))
        {
            var latency = await DoctorChecks.LatencyAsync(client).ConfigureAwait(false);
            add(latency, ExitCode.Unreachable);
            if (latency.Status == StepStatus.Fail)
            {
                return;
            }

            if (command.User is not null)
            {
                var login = await LoginAsync(command, env, plan, client).ConfigureAwait(false);
                add(login, ExitCode.AuthFailed);
                if (login.Status == StepStatus.Fail)
                {
                    return;
                }
            }
        }

        add(await DiscoveryAsync(env, server, address).ConfigureAwait(false), ExitCode.Failure);
    }

    private static async Task<DoctorStep> LoginAsync(CommandLine command, AppEnvironment env, SessionPlan plan, ChatClient client)
    {
        string user = plan.User!;
        if (Credentials.Password(command, plan, user, env, out string error) is not { } password)
        {
            return new DoctorStep("login", StepStatus.Fail, error, "Give the password with --password-stdin or LANTALK_PASSWORD, or run on a terminal.");
        }

        try
        {
            var welcome = await client.LoginAsync(user, password).ConfigureAwait(false);
            await client.LogoutAsync().ConfigureAwait(false);
            return new DoctorStep("login", StepStatus.Pass, $"logged in as {welcome.UserName} (and out again)");
        }
        catch (ChatClientException ex)
        {
            var report = FailureText.ForConnect(ex, plan.Server, user);
            return new DoctorStep("login", StepStatus.Fail, report.Message,
                ex.Failure == ChatFailure.AuthFailed ? "Check the user name and password; the operator creates accounts with: lantalk-server user add NAME" : null);
        }
    }

    private static async Task<DoctorStep> DiscoveryAsync(AppEnvironment env, ServerAddress server, IPAddress address)
    {
        var found = await env.Browse(env.BrowseDuration, CancellationToken.None).ConfigureAwait(false);
        // A server checked at a loopback address (localhost) is announced with the host's LAN addresses: any of this
        // host's own addresses is it. It was reported as "not from this server" (a UX audit, 2026-12-05).
        bool local = IPAddress.IsLoopback(address);
        var ours = found.Servers.FirstOrDefault(s => s.Port == server.Port
            && (s.Addresses.Contains(address) || string.Equals(s.HostName.TrimEnd('.'), server.Host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
                || (local && s.Addresses.Any(IsThisHost))));
        if (ours is not null)
        {
            return new DoctorStep("discovery", StepStatus.Pass,
                $"announced on the LAN as \"{ours.Instance}\" ({ours.HostName}); multicast DNS reaches this host, so 'lantalk' with no address finds it");
        }

        if (found.AnswersReceived > 0)
        {
            return new DoctorStep("discovery", StepStatus.Warn,
                $"multicast DNS reaches this host ({found.AnswersReceived} answer(s), {found.Servers.Count} LanTalk server(s)), but not from this server",
                "The server runs with <Discovery>Off, or it is on another subnet (routers do not pass multicast DNS on). Connecting by address works, as checked above.");
        }

        if (found.HostCannotBrowse)
        {
            return new DoctorStep("discovery", StepStatus.Warn, $"this host cannot look for servers on the LAN: {found.Problem}",
                "Connecting by address works, as checked above; give the address, as 'lantalk' with no address cannot find servers from here.");
        }

        return new DoctorStep("discovery", StepStatus.Warn,
            $"no multicast DNS answer reached this host within {env.BrowseDuration.TotalSeconds:0.#} s{(found.Problem is null ? string.Empty : $" ({found.Problem})")}",
            "The server may be on another subnet, a firewall may block UDP port 5353, or its Discovery is Off. Connecting by address works, as checked above.");
    }

    private static bool IsThisHost(IPAddress address)
    {
        try
        {
            return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(address));
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            return false;
        }
    }

    private static ExitCode Finish(CommandLine command, AppEnvironment env, string server, List<DoctorStep> steps, ExitCode failure)
    {
        if (command.Json)
        {
            env.Out.WriteLine(DoctorReport.Json(server, steps));
        }
        else
        {
            env.Out.WriteLine(failure == ExitCode.Ok ? "All checks passed." : "Stopped at the first failure (above).");
        }

        return failure;
    }
}
