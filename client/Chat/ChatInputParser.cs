using System.Globalization;

namespace LanTalk.Client.Chat;

/// <summary>Decodes typed lines: plain text is a public message, a leading '/' starts a command, '//' escapes it.</summary>
internal static class ChatInputParser
{
    public const int DefaultArchiveLines = 20;

    /// <summary>More would scroll the whole conversation away; use 'lantalk archive search' for deep history.</summary>
    public const int MaxArchiveLines = 1000;

    /// <summary>Command names for Tab completion and /help.</summary>
    public static IReadOnlyList<string> Commands { get; } =
        ["/msg", "/me", "/join", "/part", "/go", "/rooms", "/topic", "/mode", "/invite", "/kick", "/delete", "/who", "/away", "/back", "/history", "/search", "/archive", "/reconnect", "/help", "/quit"];

    public const int DefaultHistoryLines = 20;

    /// <summary>The protocol's MaxHistoryPage: the server sends at most this many per request.</summary>
    public const int MaxHistoryLines = 200;

    /// <summary>What /away without a text says about you.</summary>
    public const string DefaultAwayText = "away";

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
        return WithinLimits(name switch
        {
            "msg" or "m" or "w" or "tell" => ParsePrivate(rest),
            "who" or "users" or "whois" => ParseWho(rest.Trim()),
            "me" => rest.Trim().Length == 0 ? new InvalidInput("usage: /me text") : new ActionInput(rest),
            "join" or "j" => ParseJoin(rest),
            "part" or "leave" => ParsePart(rest),
            "go" or "g" => ParseRoom(rest) is { } go ? new GoInput(go) : Invalid("usage: /go ROOM", rest),
            "rooms" or "list" => rest.Trim().Length == 0 ? new RoomsInput() : new InvalidInput("usage: /rooms"),
            "topic" => rest.Trim().Length == 0 ? new TopicInput(null) : new TopicInput(rest.Trim()),
            "invite" => OneName(rest) is { } invitee ? new InviteInput(invitee) : new InvalidInput("usage: /invite NAME"),
            "kick" => ParseKick(rest),
            "mode" => rest.Trim().Length == 0
                ? new ModeInput(null)
                : ModeChange.Parse(rest, out string? modeError) is { } change ? new ModeInput(change) : new InvalidInput($"usage: /mode [+i|-i] [+t|-t]: {modeError}"),
            "delete" => ParseRoom(rest) is { } doomed ? new DeleteInput(doomed) : Invalid(DeleteUsage, rest),
            "away" => new AwayInput(rest.Trim().Length == 0 ? DefaultAwayText : rest.Trim()),
            "back" => new AwayInput(string.Empty),
            "history" => ParseCount(rest.Trim(), DefaultHistoryLines, MaxHistoryLines) is { } lines ? new HistoryInput(lines) : new InvalidInput($"usage: /history [N], with N from 1 to {MaxHistoryLines}"),
            // Alone: the next (older) page of the last search.
            "search" => new SearchInput(rest.Trim()),
            "help" or "?" => new HelpInput(),
            "quit" or "exit" or "q" => new QuitInput(),
            "reconnect" or "connect" => new ReconnectInput(),
            "archive" => ParseArchive(rest.Trim()),
            _ => new InvalidInput($"unknown command /{name}; type /help for the list (start with // to send a line beginning with /)"),
        });
    }

    /// <summary>The command, or why one of its arguments is too long for the protocol to carry (refused before sending).</summary>
    private static ChatInput WithinLimits(ChatInput input)
    {
        string? problem = input switch
        {
            PrivateMessageInput message => ArgumentLimits.NameProblem(message.To),
            WhoInput { Name: { } name } => ArgumentLimits.NameProblem(name),
            InviteInput invite => ArgumentLimits.NameProblem(invite.Name),
            KickInput kick => ArgumentLimits.NameProblem(kick.Name) ?? ArgumentLimits.TextProblem("reason", kick.Reason),
            // "/part lobby REASON": whether "lobby" is the room is known only at /part's run (PartAsync checks then);
            // counted here it made "reason too long: 5006 bytes" of a 5000-byte reason (a client audit, F14).
            PartInput { RoomOrReason: null } part => ArgumentLimits.TextProblem("reason", part.Reason),
            TopicInput { Text: { } topic } => ArgumentLimits.TextProblem("topic", topic),
            AwayInput away => ArgumentLimits.TextProblem("away text", away.Text),
            SearchInput search => ArgumentLimits.TextProblem("search text", search.Text),
            _ => null,
        };
        return problem is null ? input : new InvalidInput(problem);
    }

    private static ChatInput ParseWho(string rest) => rest.Length == 0
        ? new WhoInput()
        : OneName(rest) is { } name ? new WhoInput(name) : new InvalidInput("usage: /who [NAME]");

    // One word is a room, as always ("/part dev" when not in dev says so, and leaves nothing). With more words the
    // first is a room when it starts with '#'; otherwise it is a room only if you are in one of that name, else the
    // start of the reason for leaving the current room (irssi's "/part [#channel] [message]").
    private static ChatInput ParsePart(string rest)
    {
        rest = rest.Trim();
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (rest.Length == 0)
        {
            return new PartInput(null);
        }

        if (space < 0)
        {
            return ParseRoom(rest) is { } room ? new PartInput(room) : Invalid(PartUsage, rest);
        }

        string first = rest[..space];
        string reason = rest[(space + 1)..].Trim();
        if (first.StartsWith('#'))
        {
            return ParseRoom(first) is { } room ? new PartInput(room, reason) : Invalid(PartUsage, first);
        }

        return ParseRoom(first) is { } maybe ? new PartInput(null, rest, maybe) : new PartInput(null, rest);
    }

    private const string PartUsage = "usage: /part [ROOM] [reason]";

    private const string DeleteUsage = "usage: /delete ROOM (the name typed out, as a confirmation)";

    private const string JoinUsage = "usage: /join ROOM [+i] [-t]";

    // "/join dev" joins (or creates) dev; "/join dev +i -t" creates it invite-only, any member setting the topic. The
    // modes of a room that exists already are its own: the server ignores them then (docs/PROTOCOL.md, JoinRoom).
    private static ChatInput ParseJoin(string rest)
    {
        rest = rest.Trim();
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return ParseRoom(rest) is { } room ? new JoinInput(room) : Invalid(JoinUsage, rest);
        }

        string modes = rest[(space + 1)..].Trim();
        if (modes[0] is not ('+' or '-'))
        {
            return Invalid(JoinUsage, rest);
        }

        if (ParseRoom(rest[..space]) is not { } named)
        {
            return Invalid(JoinUsage, rest[..space]);
        }

        return ModeChange.Parse(modes, out string? error) is { } change
            ? new JoinInput(named, change)
            : new InvalidInput($"{JoinUsage}: {error}");
    }

    private static ChatInput ParseKick(string rest)
    {
        rest = rest.Trim();
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        string name = space < 0 ? rest : rest[..space];
        return name.Length == 0
            ? new InvalidInput("usage: /kick NAME [reason]")
            : new KickInput(name, space < 0 ? string.Empty : rest[(space + 1)..].Trim());
    }

    // One word: a name never holds a space.
    private static string? OneName(string rest)
    {
        rest = rest.Trim();
        return rest.Length == 0 || rest.Contains(' ', StringComparison.Ordinal) ? null : rest;
    }

    /// <summary>A room name, '#' optional; null when missing or not a valid name (the caller then shows why).</summary>
    private static string? ParseRoom(string rest)
    {
        string? word = OneName(rest);
        return word is null || !RoomName.IsValid(RoomName.Normalize(word)) ? null : RoomName.Normalize(word);
    }

    // A missing name gets the usage; a bad one gets the rules, so "/join my room" says what is wrong with it.
    private static InvalidInput Invalid(string usage, string rest) => rest.Trim().Length == 0
        ? new InvalidInput(usage)
        : new InvalidInput($"'{rest.Trim()}' is not a room name: 1-{RoomName.MaxLength} letters, digits, '_', '-' or '.', starting with a letter or digit ({usage})");

    private static int? ParseCount(string rest, int fallback, int max)
    {
        if (rest.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1 && count <= max ? count : null;
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
