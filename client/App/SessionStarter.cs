using LanTalk.Client.Archive;
using LanTalk.Client.Chat;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;

namespace LanTalk.Client.App;

/// <summary>The startup steps the chat modes and 'send' share: plan, user, connect and trust, password, login.</summary>
internal static class SessionStarter
{
    /// <summary>Password tries at a terminal, as sudo and ssh allow, before lantalk exits with 4.</summary>
    public const int MaxPasswordTries = 3;

    /// <summary>Resolves the plan and the user name; prints the reason and returns a failing exit code when something is missing.</summary>
    public static bool TryPrepare(CommandLine command, AppEnvironment env, out SessionPlan plan, out string user, out ExitCode failure)
    {
        user = string.Empty;
        failure = ExitCode.Usage;
        if (!SessionPlan.TryResolve(command, env, out plan, out string error)
            || Credentials.User(plan, env, out error) is not { } name)
        {
            env.Error.WriteLine($"lantalk: {error}");
            return false;
        }

        user = name;
        return true;
    }

    /// <summary>
    /// Connects (and settles trust in the server's certificate), then gets the password, then logs in: as ssh
    /// does, so nobody types a password only to learn that the server is down or not the one they meant.
    /// On failure prints one line and returns null with the exit code.
    /// </summary>
    public static async Task<(StartedSession? Started, ExitCode Failure)> StartAsync(
        CommandLine command, SessionPlan plan, string user, AppEnvironment env, ReconnectPolicy policy,
        Func<ArchiveWriter, ISessionListener> listener, Action<string> archiveError, CancellationToken cancellationToken)
    {
        var connector = new ServerConnector(plan.Connect);
        ChatClient client;
        try
        {
            client = await connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChatClientException ex)
        {
            var report = FailureText.ForConnect(ex, plan.Server, user);
            env.Error.WriteLine($"lantalk: {report.Message}");
            return (null, report.ExitCode);
        }

        // The folder uses the name as typed; it is lower-cased, so the server's spelling of it maps to the same place.
        ArchiveWriter? archive = null;
        ISessionListener? events = null;
        for (int attempt = 1; ; attempt++)
        {
            if (Credentials.Password(command, plan, user, env, out string error, attempt) is not { } password)
            {
                env.Error.WriteLine($"lantalk: {error}");
                await client.DisposeAsync().ConfigureAwait(false);
                if (archive is not null)
                {
                    await archive.DisposeAsync().ConfigureAwait(false);
                }

                return (null, ExitCode.Usage);
            }

            if (archive is null)
            {
                string folder = ArchiveLocation.Folder(env.Paths.ArchiveRoot, plan.Server, user);
                if (Settings.InheritedModes.Tighten(env.Paths, folder) is { } note)
                {
                    env.Error.WriteLine($"lantalk: note: {note}");
                }

                archive = new ArchiveWriter(folder, archiveError);
            }

            events ??= listener(archive);
            var session = new ChatSession(connector, user, password, policy, events);
            if (events is ChatPrinter { Quiet: false } printer)
            {
                // The chat modes show rooms (v3): the server's at every login, each caught up with a JoinRoom.
                session.FollowWith(printer, text => printer.OnStatus(text, StatusLevel.Warning));
            }

            try
            {
                var welcome = await session.StartAsync(client, cancellationToken).ConfigureAwait(false);
                return (new StartedSession(session, archive, welcome), ExitCode.Ok);
            }
            catch (ChatClientException ex)
            {
                var report = FailureText.ForConnect(ex, plan.Server, user);
                await session.DisposeAsync().ConfigureAwait(false);
                // A typo at the password prompt gets another go, as with ssh and sudo; scripts fail at once. Only the
                // password is asked again, the name kept: asking the name first had the user type the password again
                // there, shown in clear and sent as a login name that the server logs (an outside audit, F15).
                if (ex.Failure == ChatFailure.AuthFailed && Credentials.IsTyped(command, env) && attempt < MaxPasswordTries)
                {
                    env.Error.WriteLine($"lantalk: {report.Message}");
                    env.Error.WriteLine("lantalk: Ctrl+D cancels; for another account, run lantalk again with --user NAME.");
                    if (attempt == 1)
                    {
                        env.Error.WriteLine("lantalk: an account is made by the server's operator (lantalk-server user add NAME), or by you with 'lantalk register' where the server allows it.");
                    }

                    try
                    {
                        client = await connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    catch (ChatClientException again)
                    {
                        report = FailureText.ForConnect(again, plan.Server, user);
                    }
                }

                env.Error.WriteLine($"lantalk: {report.Message}");
                if (archive is not null)
                {
                    await archive.DisposeAsync().ConfigureAwait(false);
                }

                return (null, report.ExitCode);
            }
        }
    }

    public static MessageFormatter Formatter(SessionPlan plan, AppEnvironment env, bool terminal)
    {
        // https://no-color.org: any non-empty NO_COLOR turns colour off.
        bool color = terminal && plan.Display.Color && !env.IsOutputRedirected && !env.PlainTerminal && string.IsNullOrEmpty(env.GetVariable("NO_COLOR"));
        return new MessageFormatter(plan.Display, color, env.TimeZone, singleLine: !terminal);
    }
}
