using LanTalk.Client.Archive;
using LanTalk.Client.Chat;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.App;

/// <summary>A started session with its archive; what every connected command works with.</summary>
internal sealed record StartedSession(ChatSession Session, ArchiveWriter Archive, WelcomePacket Welcome);

/// <summary>The startup steps the chat modes and 'send' share: plan, user, password, archive, connect, login.</summary>
internal static class SessionStarter
{
    /// <summary>Resolves the plan and credentials; prints the reason and returns a failing exit code when something is missing.</summary>
    public static bool TryPrepare(CommandLine command, AppEnvironment env, out SessionPlan plan, out string user, out string password, out ExitCode failure)
    {
        user = password = string.Empty;
        failure = ExitCode.Usage;
        if (!SessionPlan.TryResolve(command, env, out plan, out string error)
            || Credentials.User(plan, env, out error) is not { } name
            || Credentials.Password(command, plan, name, env, out error) is not { } secret)
        {
            env.Error.WriteLine($"lantalk: {error}");
            return false;
        }

        user = name;
        password = secret;
        return true;
    }

    /// <summary>Connects and logs in. On failure prints one line and returns null with the exit code.</summary>
    public static async Task<(StartedSession? Started, ExitCode Failure)> StartAsync(
        SessionPlan plan, string user, string password, AppEnvironment env, ReconnectPolicy policy,
        Func<ArchiveWriter, ISessionListener> listener, Action<string> archiveError, CancellationToken cancellationToken)
    {
        // The folder uses the name as typed; it is lower-cased, so the server's spelling of it maps to the same place.
        var archive = new ArchiveWriter(ArchiveLocation.Folder(env.Paths.ArchiveRoot, plan.Server, user), archiveError);
        var session = new ChatSession(new ServerConnector(plan.Connect), user, password, policy, listener(archive));
        try
        {
            var welcome = await session.StartAsync(cancellationToken).ConfigureAwait(false);
            return (new StartedSession(session, archive, welcome), ExitCode.Ok);
        }
        catch (ChatClientException ex)
        {
            var report = FailureText.ForConnect(ex, plan.Server, user);
            env.Error.WriteLine($"lantalk: {report.Message}");
            await session.DisposeAsync().ConfigureAwait(false);
            await archive.DisposeAsync().ConfigureAwait(false);
            return (null, report.ExitCode);
        }
    }

    public static MessageFormatter Formatter(SessionPlan plan, AppEnvironment env, bool terminal)
    {
        // https://no-color.org: any non-empty NO_COLOR turns colour off.
        bool color = terminal && plan.Display.Color && !env.IsOutputRedirected && string.IsNullOrEmpty(env.GetVariable("NO_COLOR"));
        return new MessageFormatter(plan.Display, color, env.TimeZone, singleLine: !terminal);
    }
}
