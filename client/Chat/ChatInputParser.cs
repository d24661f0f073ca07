using System.Globalization;

namespace LanTalk.Client.Chat;

/// <summary>Decodes typed lines: plain text is a public message, a leading '/' starts a command, '//' escapes it.</summary>
internal static class ChatInputParser
{
    public const int DefaultArchiveLines = 20;

    /// <summary>More would scroll the whole conversation away; use 'lantalk archive search' for deep history.</summary>
    public const int MaxArchiveLines = 1000;

    /// <summary>Command names for Tab completion and /help.</summary>
    public static IReadOnlyList<string> Commands { get; } = ["/msg", "/who", "/archive", "/reconnect", "/help", "/quit"];

    public static ChatInput Parse(string line)
    {
        if (line.Trim().Length == 0)
        {
            return new EmptyInput();
        }

        if (!line.StartsWith('/'))
        {
            return new PublicMessageInput(line);
        }

        if (line.StartsWith("//", StringComparison.Ordinal))
        {
            return new PublicMessageInput(line[1..]);
        }

        string body = line[1..];
        int space = body.IndexOf(' ', StringComparison.Ordinal);
        string name = (space < 0 ? body : body[..space]).ToLowerInvariant();
        string rest = space < 0 ? string.Empty : body[(space + 1)..];
        return name switch
        {
            "msg" or "m" or "w" or "tell" => ParsePrivate(rest),
            "who" or "users" => rest.Trim().Length == 0 ? new WhoInput() : new InvalidInput("usage: /who"),
            "help" or "?" => new HelpInput(),
            "quit" or "exit" or "q" => new QuitInput(),
            "reconnect" or "connect" => new ReconnectInput(),
            "archive" => ParseArchive(rest.Trim()),
            _ => new InvalidInput($"unknown command /{name}; type /help for the list (start with // to send a line beginning with /)"),
        };
    }

    private static ChatInput ParsePrivate(string rest)
    {
        rest = rest.TrimStart();
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return new InvalidInput("usage: /msg NAME text");
        }

        string text = rest[(space + 1)..];
        return text.Trim().Length == 0 ? new InvalidInput("usage: /msg NAME text") : new PrivateMessageInput(rest[..space], text);
    }

    private static ChatInput ParseArchive(string rest)
    {
        if (rest.Length == 0)
        {
            return new ArchiveInput(DefaultArchiveLines);
        }

        return int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count is >= 1 and <= MaxArchiveLines
            ? new ArchiveInput(count)
            : new InvalidInput($"usage: /archive [N], with N from 1 to {MaxArchiveLines}");
    }
}
