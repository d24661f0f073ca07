using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Discovery;
using LanTalk.Client.Doctor;

namespace LanTalk.Client.App;

/// <summary>The entry point behind Main: parses the command line and runs one command.</summary>
internal static class LanTalkApp
{
    public static async Task<int> RunAsync(string[] args, AppEnvironment env)
    {
        if (!CliParser.TryParse(args, out var command, out string error))
        {
            env.Error.WriteLine($"lantalk: {error}");
            return (int)ExitCode.Usage;
        }

        // Socket tuning is best effort (Wine lacks some keep-alive options): one note, and the chat goes on.
        LanTalk.Core.Transport.SocketTuning.Report.Handler = message => env.Error.WriteLine($"lantalk: note: {message}");
        try
        {
            if (command.Kind is CommandKind.Chat or CommandKind.Send)
            {
                // No server given and none remembered: find one on the LAN (issue 16).
                if (await ServerChooser.ChooseAsync(command, env).ConfigureAwait(false) is not { } chosen)
                {
                    return (int)ExitCode.Unreachable;
                }

                command = chosen;
            }

            var code = command.Kind switch
            {
                CommandKind.Help => Print(env, UsageText.For(command.HelpTopic)),
                CommandKind.Version => Print(env, $"lantalk {VersionInfo.Text}"),
                CommandKind.ArchiveSearch => ArchiveSearchCommand.Run(command, env),
                CommandKind.Servers => await ServersCommand.RunAsync(command, env).ConfigureAwait(false),
                CommandKind.Doctor => await DoctorCommand.RunAsync(command, env).ConfigureAwait(false),
                CommandKind.Send => await SendCommand.RunAsync(command, env).ConfigureAwait(false),
                CommandKind.Register => await RegisterCommand.RunAsync(command, env).ConfigureAwait(false),
                // A dumb terminal chats line by line too, with no escapes; the password is still asked without echo.
                _ when env.IsInputRedirected || env.PlainTerminal => await PipeChat.RunAsync(command, env).ConfigureAwait(false),
                _ => await InteractiveChat.RunAsync(command, env).ConfigureAwait(false),
            };
            return (int)code;
        }
        catch (PromptCancelledException ex)
        {
            env.Error.WriteLine($"lantalk: {ex.Message}");
            return (int)ExitCode.Usage;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Users get one line; LANTALK_DEBUG=1 shows the stack trace for bug reports.
            env.Error.WriteLine(env.GetVariable("LANTALK_DEBUG") is "1" ? $"lantalk: {ex}" : $"lantalk: unexpected error: {Connection.FailureText.Safe(ex.Message)}");
            return (int)ExitCode.Failure;
        }
    }

    private static ExitCode Print(AppEnvironment env, string text)
    {
        env.Out.WriteLine(text.TrimEnd());
        return ExitCode.Ok;
    }
}
