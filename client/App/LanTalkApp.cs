using LanTalk.Client.Cli;
using LanTalk.Client.Connection;

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

        try
        {
            var code = command.Kind switch
            {
                CommandKind.Help => Print(env, UsageText.For(command.HelpTopic)),
                CommandKind.Version => Print(env, $"lantalk {VersionInfo.Text}"),
                CommandKind.ArchiveSearch => ArchiveSearchCommand.Run(command, env),
                CommandKind.Send => await SendCommand.RunAsync(command, env).ConfigureAwait(false),
                CommandKind.Register => await RegisterCommand.RunAsync(command, env).ConfigureAwait(false),
                _ when env.IsInputRedirected => await PipeChat.RunAsync(command, env).ConfigureAwait(false),
                _ => await InteractiveChat.RunAsync(command, env).ConfigureAwait(false),
            };
            return (int)code;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Users get one line; LANTALK_DEBUG=1 shows the stack trace for bug reports.
            env.Error.WriteLine(env.GetVariable("LANTALK_DEBUG") is "1" ? $"lantalk: {ex}" : $"lantalk: unexpected error: {ex.Message}");
            return (int)ExitCode.Failure;
        }
    }

    private static ExitCode Print(AppEnvironment env, string text)
    {
        env.Out.WriteLine(text.TrimEnd());
        return ExitCode.Ok;
    }
}
