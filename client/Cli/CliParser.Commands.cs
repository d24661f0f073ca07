namespace LanTalk.Client.Cli;

/// <summary>The second step of parsing: positional arguments decide the subcommand and fill its text.</summary>
internal static partial class CliParser
{
    private static bool Finish(CommandLine parsed, List<string> positional, bool help, bool version, out CommandLine command, out string error)
    {
        command = parsed;
        error = string.Empty;
        var kind = CommandKind.Chat;
        int first = 0;
        if (positional.Count > 0 && positional[0] == "send")
        {
            kind = CommandKind.Send;
            first = 1;
        }
        else if (positional.Count > 0 && positional[0] == "register")
        {
            kind = CommandKind.Register;
            first = 1;
        }
        else if (positional.Count > 0 && positional[0] == "archive")
        {
            if (positional.Count < 2 || positional[1] != "search")
            {
                if (help)
                {
                    command = parsed with { Kind = CommandKind.Help, HelpTopic = CommandKind.ArchiveSearch };
                    return true;
                }

                error = "'lantalk archive' needs a subcommand: lantalk archive search TEXT";
                return false;
            }

            kind = CommandKind.ArchiveSearch;
            first = 2;
        }
        else if (positional.Count > 0 && positional[0] is "servers" or "doctor")
        {
            kind = positional[0] == "servers" ? CommandKind.Servers : CommandKind.Doctor;
            first = 1;
        }
        else if (positional.Count > 0 && positional[0] == "help")
        {
            var topic = positional.Count > 1 ? positional[1] switch
            {
                "send" => CommandKind.Send,
                "archive" => CommandKind.ArchiveSearch,
                "servers" => CommandKind.Servers,
                "doctor" => CommandKind.Doctor,
                "register" => CommandKind.Register,
                _ => CommandKind.Chat,
            } : CommandKind.Chat;
            command = parsed with { Kind = CommandKind.Help, HelpTopic = topic };
            return true;
        }

        if (help || version)
        {
            command = parsed with { Kind = help ? CommandKind.Help : CommandKind.Version, HelpTopic = kind };
            return true;
        }

        var rest = positional.Skip(first).ToList();
        if (parsed.To is not null && kind != CommandKind.Send)
        {
            error = "--to only applies to 'lantalk send'";
            return false;
        }

        if (parsed.Room is not null && kind != CommandKind.Send)
        {
            error = "--room only applies to 'lantalk send'";
            return false;
        }

        if (parsed.Room is not null && parsed.To is not null)
        {
            error = "'lantalk send' takes --to NAME (private) or --room ROOM, not both";
            return false;
        }

        if (parsed.Room is { } room && !Chat.RoomName.IsValid(Chat.RoomName.Normalize(room)))
        {
            error = $"--room '{room}' is not a room name (1-{Chat.RoomName.MaxLength} letters, digits, '_', '-' or '.'; '#' optional)";
            return false;
        }

        if (parsed.To is { } to && Chat.ArgumentLimits.NameProblem(to) is { } tooLong)
        {
            // The server closed the session over it, and the send reported "may have been delivered" (exit 9).
            error = $"--to: {tooLong}";
            return false;
        }

        if (parsed.TrustAnnounced && (kind is not (CommandKind.Chat or CommandKind.Send) || parsed.Server is not null || (kind == CommandKind.Chat && rest.Count > 0)))
        {
            // It is consent to an announcement, and only a server found on the LAN comes with one.
            error = "--trust-announced only applies to 'lantalk' and 'lantalk send' with no server given (one found on the LAN)";
            return false;
        }

        if (parsed.SearchAll && kind != CommandKind.ArchiveSearch)
        {
            error = "--all only applies to 'lantalk archive search'";
            return false;
        }

        if (parsed.Json && kind is not (CommandKind.Servers or CommandKind.Doctor))
        {
            error = "--json only applies to 'lantalk servers' and 'lantalk doctor'";
            return false;
        }

        switch (kind)
        {
            case CommandKind.Servers when rest.Count > 0:
                error = $"unexpected argument '{rest[0]}'; usage: lantalk servers [--json]";
                return false;
            case CommandKind.Servers:
                command = parsed with { Kind = kind };
                return true;
            case CommandKind.Doctor when rest.Count > 1 || (rest.Count == 1 && parsed.Server is not null):
                error = "usage: lantalk doctor [HOST[:PORT]] [--user NAME] [--json]; give the server once";
                return false;
            case CommandKind.Doctor:
                command = parsed with { Kind = kind, Server = rest.Count == 1 ? rest[0] : parsed.Server };
                return true;
            case CommandKind.Chat when rest.Count > 1:
                error = $"unexpected argument '{rest[1]}'; usage: lantalk [HOST[:PORT]] [--user NAME]";
                return false;
            case CommandKind.Chat when rest.Count == 1 && parsed.Server is not null:
                error = $"the server is given twice ('{rest[0]}' and --server {parsed.Server}); give it once";
                return false;
            case CommandKind.Chat:
                command = parsed with { Server = rest.Count == 1 ? rest[0] : parsed.Server };
                return true;
            case CommandKind.Register when rest.Count > 1 || (rest.Count == 1 && parsed.Server is not null):
                error = "usage: lantalk register [--server] HOST[:PORT] --user NAME";
                return false;
            case CommandKind.Register:
                command = parsed with { Kind = kind, Server = rest.Count == 1 ? rest[0] : parsed.Server };
                return true;
            case CommandKind.Send when rest.Count == 0 || string.Join(' ', rest).Trim().Length == 0:
                error = "'lantalk send' needs the message text, e.g. lantalk send --to bob \"lunch?\"";
                return false;
            case CommandKind.ArchiveSearch when rest.Count == 0 || string.Join(' ', rest).Length == 0:
                error = "'lantalk archive search' needs the text to look for";
                return false;
            default:
                // Unquoted words are joined, so `lantalk send hello there` sends "hello there".
                command = parsed with { Kind = kind, Text = string.Join(' ', rest) };
                return true;
        }
    }
}
