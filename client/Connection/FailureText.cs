using LanTalk.Client.App;
using LanTalk.Core.Client;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Client.Connection;

/// <summary>Turns exceptions and disconnect reasons into short messages that say what happened and what to check.</summary>
internal static class FailureText
{
    public static FailureReport ForConnect(ChatClientException ex, ServerAddress server, string? user) => ex.Failure switch
    {
        ChatFailure.Refused => new(ExitCode.Unreachable,
            $"cannot connect to {server}: connection refused. No LanTalk server is running there, or it listens on another port (tried port {server.Port}).", true),
        ChatFailure.HostNotFound => new(ExitCode.Unreachable, $"cannot find host '{server.Host}'. Check the name, or use an IP address.", true),
        // Only a connect that got no answer at all points at a firewall; an accepted connection got past it.
        ChatFailure.TimedOut when ex.FromServer => new(ExitCode.Unreachable, $"{server} gave up waiting: {Sentence(ex.Message)}", true),
        ChatFailure.TimedOut => new(ExitCode.Unreachable, $"timed out talking to {server}: {Sentence(ex.Message)} Is the server up, and is a firewall in the way?", true),
        ChatFailure.Silent => new(ExitCode.Unreachable,
            $"{Sentence(ex.Message)} Something listens on port {server.Port}, but it does not answer like a LanTalk server: check the port, or whether that server is stuck.", true),
        ChatFailure.AuthFailed => new(ExitCode.AuthFailed, $"login failed on {server}: wrong user name or password for '{user}'.", false),
        ChatFailure.AlreadyLoggedIn => new(ExitCode.AuthFailed,
            $"'{user}' is already logged in on {server} from somewhere else ({Clause(ex.Message)}). Log out there, or try again once that session has timed out.", true),
        ChatFailure.RateLimited => new(ExitCode.AuthFailed, $"{server} refuses the login for now: {Sentence(ex.Message)}", true),
        ChatFailure.ServerFull when ex.Code == ErrorCode.TooManyConnections => new(ExitCode.ServerFull,
            $"{server} refused the connection: {Clause(ex.Message)}. Close some of your other connections to it, or try again in a minute.", true),
        // Our server's own text already says to try again later: said twice, it read as a stutter (a UX audit, 2026-12-05).
        ChatFailure.ServerFull => new(ExitCode.ServerFull, $"{server} is full: {Clause(ex.Message)}."
            + (ex.Message.Contains("try again", StringComparison.OrdinalIgnoreCase) ? string.Empty : " Try again when someone has logged out."), true),
        ChatFailure.VersionMismatch => new(ExitCode.VersionMismatch, $"version mismatch with {server}: {Clause(ex.Message)}. Update lantalk or the server.", false),
        ChatFailure.ShuttingDown => new(ExitCode.ServerShutdown, $"the server at {server} is shutting down: {Sentence(ex.Message)}", true),
        ChatFailure.Kicked => new(ExitCode.Kicked, $"the server at {server} removed you: {Sentence(ex.Message)}", false),
        ChatFailure.ProtocolError => new(ExitCode.Unreachable, $"{server} does not speak the LanTalk protocol ({Clause(ex.Message)}). Is it a LanTalk server, and is the port right?", false),
        // TLS trust decisions belong to the TLS layer; its messages already say what to do.
        ChatFailure.UntrustedServer => new(ExitCode.Unreachable, $"refusing {server}: {SafeLines(ex.Message)}", false),
        ChatFailure.TlsFailed => new(ExitCode.Unreachable, $"cannot talk to {server}: {Sentence(ex.Message)}", false),
        ChatFailure.Rejected when ex.Code == ErrorCode.InvalidUserName => new(ExitCode.AuthFailed, $"the server rejects the user name '{user}': {Sentence(ex.Message)}", false),
        _ => new(ExitCode.Unreachable, $"connection to {server} failed: {Sentence(ex.Message)}", true),
    };

    /// <summary>
    /// A server's text as the terminal may show it: control characters visible, not acted on. These lines are the
    /// last the user sees (stderr, `lantalk send`), and an error text with an OSC or CSI sequence changed the window
    /// title and cleared the screen (a hostile-server audit); chat lines were already shown this way.
    /// </summary>
    public static string Safe(string text) => Chat.MessageFormatter.Visible(text);

    /// <summary>As <see cref="Safe"/>, but keeps line breaks: for lantalk's own texts of several lines (the trust banners), which showed ␊ instead.</summary>
    public static string SafeLines(string text) => string.Join('\n', text.Split('\n').Select(Safe));

    /// <summary>Text that ends a message: one final full stop, never "?." or "..".</summary>
    public static string Sentence(string text)
    {
        text = Safe(text).TrimEnd();
        return text.Length == 0 || text[^1] is '.' or '?' or '!' ? text : text + ".";
    }

    /// <summary>Text set inside a sentence: no final full stop.</summary>
    public static string Clause(string text) => Safe(text).TrimEnd().TrimEnd('.');

    /// <summary>Why an established session ended, and whether to reconnect. Never reconnect after kick, auth failure or version mismatch.</summary>
    public static FailureReport ForDisconnect(DisconnectReason reason, ServerAddress server) => reason.Kind switch
    {
        DisconnectKind.RemoteError => ChatClientException.FailureFor(reason.Code) switch
        {
            ChatFailure.Kicked => new(ExitCode.Kicked, $"you were kicked from {server}: {Safe(reason.Message)}", false),
            ChatFailure.AuthFailed => new(ExitCode.AuthFailed, $"{server} ended the session: {Safe(reason.Message)}", false),
            ChatFailure.VersionMismatch => new(ExitCode.VersionMismatch, $"{server} ended the session (version mismatch): {Safe(reason.Message)}", false),
            ChatFailure.ShuttingDown => new(ExitCode.ServerShutdown, $"the server at {server} shut down ({Safe(reason.Message)})", true),
            _ => new(ExitCode.Unreachable, $"{server} closed the connection: {Safe(reason.Message)}", true),
        },
        DisconnectKind.Timeout => new(ExitCode.Unreachable, $"lost contact with {server}: {Safe(reason.Message)}", true),
        DisconnectKind.RemoteClosed => new(ExitCode.Unreachable, $"{server} closed the connection", true),
        DisconnectKind.ProtocolViolation => new(ExitCode.Unreachable, $"{server} broke the protocol: {Safe(reason.Message)}", true),
        DisconnectKind.Local => new(ExitCode.Unreachable, $"disconnected from {server}: {Safe(reason.Message)}", false),
        _ => new(ExitCode.Unreachable, $"connection to {server} lost: {Safe(reason.Message)}", true),
    };

    /// <summary>
    /// A few words for a failed reconnect try; the full story was told when the connection dropped. An Error frame
    /// speaks for itself: its own text, since one ChatFailure covers several codes (ServerFull also stands for
    /// TooManyConnections, "too many connections from your address are logging in at once", which is not "full").
    /// </summary>
    public static string Short(ChatClientException ex) => ex.Failure switch
    {
        _ when ex.FromServer && Safe(ex.Message).Length > 0 => Clause(ex.Message),
        ChatFailure.Refused => "connection refused (server not running?)",
        ChatFailure.HostNotFound => "host not found",
        ChatFailure.TimedOut => "timed out",
        ChatFailure.AlreadyLoggedIn => "the server still has the old session",
        ChatFailure.Silent => "the port accepted but nothing answered",
        ChatFailure.ServerFull => "server full",
        ChatFailure.ShuttingDown => "server shutting down",
        _ => Safe(ex.Message),
    };

    /// <summary>
    /// Why a message was not delivered: from 'lantalk send' (<paramref name="room"/> is --room, null for the default
    /// room), or typed in the chat (<paramref name="inChat"/>), whose hints name chat commands, not send's options.
    /// </summary>
    public static string ForSend(ChatClientException ex, string? to, string? room = null, bool inChat = false) => ex.Failure switch
    {
        _ when ex.Code == ErrorCode.NotInRoom && inChat => $"not delivered: {Safe(ex.Message)} (/join ROOM joins it, /go ROOM switches to a room you are in)",
        _ when ex.Code == ErrorCode.NotInRoom && room is null => $"not delivered: {Safe(ex.Message)} (a send without --to or --room goes to the default room; --room ROOM sends to another)",
        ChatFailure.UnknownUser => $"not delivered: there is no user '{to}'",
        ChatFailure.UserOffline => $"not delivered: '{to}' is not online",
        ChatFailure.RateLimited => $"not delivered: sending too fast ({Safe(ex.Message)})",
        ChatFailure.TimedOut => $"not confirmed: {Safe(ex.Message)}",
        _ when ex.Code == ErrorCode.MessageTooLong => $"not delivered: the message is too long ({Safe(ex.Message)})",
        _ => $"not delivered: {Safe(ex.Message)}",
    };
}
