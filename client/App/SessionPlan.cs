using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;
using LanTalk.Client.Terminal;

namespace LanTalk.Client.App;

/// <summary>The command line merged over the remembered settings: options win, settings fill the gaps.</summary>
internal sealed record SessionPlan(ServerAddress Server, string? User, DisplayOptions Display, ClientSettings Saved, ConnectOptions Connect)
{
    public static bool TryResolve(CommandLine command, AppEnvironment env, out SessionPlan plan, out string error)
    {
        var warnings = new List<string>();
        var saved = SettingsStore.Load(env.Paths.SettingsFile, warnings);
        foreach (string warning in warnings)
        {
            env.Error.WriteLine($"lantalk: warning: {warning}");
        }

        error = string.Empty;
        var server = new ServerAddress(saved.Host ?? "localhost", saved.Port);
        if (command.Server is { } typed)
        {
            // "lantalk chat.lan" keeps the remembered port when chat.lan is the remembered host; a new host gets the default.
            int fallbackPort = string.Equals(HostOf(typed), saved.Host, StringComparison.OrdinalIgnoreCase) ? saved.Port : ServerAddress.DefaultPort;
            if (!ServerAddress.TryParse(typed, fallbackPort, out server, out error))
            {
                plan = null!;
                return false;
            }
        }

        string? user = command.User?.Trim() ?? saved.User;
        var display = saved.Display with
        {
            Color = command.Color ?? saved.Display.Color,
            Seconds = command.Seconds ?? saved.Display.Seconds,
        };
        var connect = new ConnectOptions
        {
            Server = server,
            Plaintext = command.Plaintext,
            TrustedFingerprint = command.Trust,
            ConnectTimeout = env.ConnectTimeout,
            // Chat waits for a message's echo while the connection lives, saying so when it is slow (Outbox); a one-shot
            // 'lantalk send' keeps its bound and says the message may have been delivered.
            ConfirmTimeout = command.Kind == CommandKind.Chat ? Timeout.InfiniteTimeSpan : null,
            // A script's send must not take the stored private messages and receipts the user's chat is to show.
            OneShot = command.Kind == CommandKind.Send,
            AnnouncedFingerprint = command.Announced?.Fingerprint,
            AnnouncedPinAuto = command.Announced?.PinOnFirstUse ?? false,
            TrustAnnounced = command.TrustAnnounced,
            KnownServersFile = env.Paths.KnownServersFile,
            // Only a person at a terminal can judge a fingerprint; scripts pass --trust.
            ConfirmNewServer = env.IsInputRedirected ? null : question => AskTrust(question, env),
        };
        plan = new SessionPlan(server, user, display, saved, connect);
        return true;
    }

    /// <summary>Remembers what worked. A failure to save is a warning: the chat itself is fine.</summary>
    public void Remember(string canonicalUser, AppEnvironment env, Action<string> warn)
    {
        var settings = Saved with { Host = Server.Host, Port = Server.Port, User = canonicalUser, Display = Display };
        try
        {
            SettingsStore.Save(env.Paths.SettingsFile, settings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            warn($"cannot save settings to {env.Paths.SettingsFile}: {ex.Message}");
        }
    }

    private static bool AskTrust(string question, AppEnvironment env)
    {
        // The question names the server as found on the LAN: shown, never acted on, whatever an announcement held.
        env.Error.WriteLine(FailureText.SafeLines(question));
        env.Error.Write("Trust this server and remember its fingerprint? [y/N] ");
        // Ctrl+C or Ctrl+D cancels, as at the password prompt: neither is the considered "no" that refuses the server.
        string answer = InterruptiblePrompt.Line(env.In, env.Error) ?? throw new PromptCancelledException();
        return answer.Trim().StartsWith("y", StringComparison.OrdinalIgnoreCase);
    }

    private static string HostOf(string typed) =>
        ServerAddress.TryParse(typed, ServerAddress.DefaultPort, out var address, out _) ? address.Host : typed;
}
