using System.Globalization;
using System.Text;
using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Chat;

/// <summary>
/// Turns events into display lines: <c>[14:03] alice: hi</c>, <c>[14:03] [private] alice -> bob: hi</c>,
/// <c>[14:03] * bob joined</c>. Times are the server's clock shown in the local time zone. Text from the network
/// is sanitized, so nobody can send escape sequences that repaint or hijack the reader's terminal.
/// </summary>
internal sealed partial class MessageFormatter(DisplayOptions display, bool color, TimeZoneInfo zone, bool singleLine)
{
    private const string Reset = "\x1b[0m";
    private const string Dim = "\x1b[2m";
    private const string Bold = "\x1b[1m";
    private const string Reverse = "\x1b[7m";
    private const string Red = "\x1b[31m";
    private const string Yellow = "\x1b[33m";
    private const string Magenta = "\x1b[35m";

    // Red, yellow and magenta mean errors, warnings and private messages, so names use the other hues.
    private static readonly string[] NameColors = ["\x1b[32m", "\x1b[34m", "\x1b[36m", "\x1b[92m", "\x1b[94m", "\x1b[96m"];

    public string Time(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString(display.Seconds ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture);

    private DateOnly _lastDate;

    /// <summary>A line such as <c>-- Wednesday 25 November 2026 --</c> when <paramref name="time"/> falls on a new local date; null otherwise and for the first event.</summary>
    public string? DateChange(DateTimeOffset time)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, zone).DateTime);
        var last = _lastDate;
        _lastDate = date;
        return last == default || date == last ? null : DateLine(date);
    }

    /// <summary>
    /// A message line; <paramref name="mention"/> highlights the text and your name in it. A public message from a
    /// room other than <paramref name="currentRoom"/> is prefixed with the room's name and dimmed, so the current
    /// conversation stands out while the others stay readable.
    /// </summary>
    public string Message(ChatMessage message, string self, bool mention = false, string? currentRoom = null) =>
        MessageLine(message, self, mention, currentRoom).Text;

    /// <summary>
    /// <see cref="Message"/>, with the column its text starts at: a row the terminal is too narrow for continues
    /// there (<see cref="Core.Terminal.WordWrap"/>), as the rows of a multi-line message already do.
    /// </summary>
    public (string Text, int Indent) MessageLine(ChatMessage message, string self, bool mention = false, string? currentRoom = null)
    {
        string time = $"[{Time(message.ServerTime)}]";
        bool elsewhere = message.To is null && message.Room.Length > 0 && currentRoom is not null
            && !string.Equals(message.Room, currentRoom, StringComparison.OrdinalIgnoreCase);
        string room = elsewhere ? RoomName.Display(Visible(message.Room)) + " " : string.Empty;
        string from = Visible(message.From);
        bool action = message.Kind == ChatMessageKind.Action;
        string plainPrefix;
        string prefix;
        if (message.To is not null)
        {
            string to = Visible(message.To);
            plainPrefix = $"{time} [private] {from} -> {to}{(action ? " * " + from + " " : ": ")}";
            prefix = action
                ? $"{Paint(Dim, time)} {Paint(Magenta, "[private]")} {Name(message.From, self)} -> {Name(message.To, self)} * {Name(message.From, self)} "
                : $"{Paint(Dim, time)} {Paint(Magenta, "[private]")} {Name(message.From, self)} -> {Name(message.To, self)}: ";
        }
        else
        {
            plainPrefix = action ? $"{time} {room}* {from} " : $"{time} {room}{from}: ";
            prefix = elsewhere
                ? string.Empty
                : action ? $"{Paint(Dim, time)} * {Name(message.From, self)} " : $"{Paint(Dim, time)} {Name(message.From, self)}: ";
        }

        int indent = DisplayWidth.Of(plainPrefix);
        string body = Body(message.Text, indent);
        string suffix = (message.Flags & MessageMarks.Stored) != 0 ? " (stored for delivery)"
            : (message.Flags & MessageMarks.Offline) != 0 ? " (sent while you were offline)"
            : string.Empty;
        if (elsewhere)
        {
            return (Paint(Dim, plainPrefix + body + suffix), indent);
        }

        return (prefix + (mention && color ? Highlight(body, self) : body) + (suffix.Length == 0 ? string.Empty : Paint(Dim, suffix)), indent);
    }

    /// <summary>The dim line around replayed history: <c>— earlier —</c>, <c>— missed while away —</c>, <c>— now —</c>.</summary>
    public string Marker(string text) => Paint(Dim, $"\u2014 {Visible(text)} \u2014");

    /// <summary>
    /// A stored private message reached its recipient: one dim line, <c>[15:04] · bob received your message "see you at 3" from 15:03</c>.
    /// The text's start, when this window saw the message: two receipts for two messages read alike (a client audit, F6).
    /// </summary>
    public string Receipt(string recipient, DateTimeOffset delivered, DateTimeOffset? sent, string? text = null) =>
        Paint(Dim, $"[{Time(delivered)}] \u00b7 {Visible(recipient)} received your message{(text is { } said ? $" \"{Visible(Opening(said))}\"" : string.Empty)}{(sent is { } at ? " from " + Time(at) : string.Empty)}");

    /// <summary>A message's first line, cut to 30 characters (never inside a surrogate pair) with an ellipsis.</summary>
    private static string Opening(string text)
    {
        string first = text.Split('\n')[0].TrimEnd('\r');
        if (first.Length <= 30)
        {
            return first;
        }

        int cut = char.IsHighSurrogate(first[28]) ? 28 : 29;
        return first[..cut] + "\u2026";
    }

    /// <summary>A line of room news (joins and leaves in a room, topic changes, away), dim and prefixed with the room when it is not current.</summary>
    public string RoomEvent(DateTimeOffset time, string? room, string text, string? currentRoom)
    {
        bool elsewhere = room is not null && !string.Equals(room, currentRoom, StringComparison.OrdinalIgnoreCase);
        return Paint(Dim, $"[{Time(time)}] {(elsewhere ? RoomName.Display(Visible(room!)) + " " : string.Empty)}* {Visible(text)}");
    }

    // Bold text with the name in reverse video: seen at a glance when scrolling back. The text is already made
    // visible, so the escapes added here are the only ones in it.
    private static string Highlight(string body, string self)
    {
        var builder = new StringBuilder(Bold);
        int last = 0;
        foreach (int at in Mentions.Find(body, self))
        {
            builder.Append(body, last, at - last).Append(Reverse).Append(body, at, self.Length).Append(Reset).Append(Bold);
            last = at + self.Length;
        }

        return builder.Append(body, last, body.Length - last).Append(Reset).ToString();
    }

    /// <summary>
    /// Archived messages as the chat shows them, in local time, with a date line before the first and at every
    /// change of date (the archive spans days). Lines that do not parse are shown as they are.
    /// </summary>
    public string Archive(IEnumerable<string> lines, string self)
    {
        var output = new List<string>();
        DateOnly last = default;
        foreach (string line in lines)
        {
            if (!ArchiveFormat.TryParse(line, out var message))
            {
                output.Add(Visible(line));
                continue;
            }

            var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(message.ServerTime, zone).DateTime);
            if (date != last)
            {
                output.Add(DateLine(date));
                last = date;
            }

            // Every room is named, as /search does: the archive holds all rooms, and no room is current here.
            output.Add(Message(message, self, currentRoom: string.Empty));
        }

        return string.Join('\n', output);
    }

    private string DateLine(DateOnly date) => Paint(Dim, $"-- {date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} --");

    public string Presence(PresencePacket presence, bool joined) =>
        Paint(Dim, $"[{Time(LanTalk.Core.Protocol.UnixMilliseconds.ToTime(presence.TimeMs))}] * {Visible(presence.UserName)} {(joined ? "joined" : "left")}");

    public string Notice(NoticePacket notice) =>
        $"{Paint(Dim, $"[{Time(LanTalk.Core.Protocol.UnixMilliseconds.ToTime(notice.TimeMs))}]")} {Paint(Yellow, "! server notice:")} {Body(notice.Text, TimeWidth + 17)}";

    public string Status(string text, StatusLevel level) => level switch
    {
        StatusLevel.Error => Paint(Red, "!! " + Visible(text)),
        StatusLevel.Warning => Paint(Yellow, "-- " + Visible(text)),
        _ => Paint(Dim, "-- " + Visible(text)),
    };

    /// <summary>e.g. <c>-- online (3): alice, bob (since 09:12), carol</c>; after a reconnect <c>; not back yet: dave</c>.</summary>
    public string Online(IReadOnlyList<OnlineUser> users, string self, IReadOnlyList<string>? notBackYet = null)
    {
        // A user who reconnected can be listed twice for a moment; the later login is the one that counts.
        users = [.. users.Reverse().DistinctBy(u => u.Name, StringComparer.OrdinalIgnoreCase)];
        var names = users
            .OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase)
            .Select(u => $"{Name(u.Name, self)} (since {Time(LanTalk.Core.Protocol.UnixMilliseconds.ToTime(u.ConnectedAtMs))})");
        string missing = notBackYet is { Count: > 0 } ? $"; not back yet: {string.Join(", ", notBackYet.Select(n => Name(n, self)))}" : string.Empty;
        return $"{Paint(Dim, "--")} online ({users.Count}): {string.Join(", ", names)}{missing}";
    }

    private int TimeWidth => display.Seconds ? 10 : 7;

    private string Name(string name, string self)
    {
        string visible = Visible(name);
        if (!color)
        {
            return visible;
        }

        if (string.Equals(name, self, StringComparison.OrdinalIgnoreCase))
        {
            return Bold + visible + Reset;
        }

        // A stable colour per name (FNV-1a over the lower-case name), so each person keeps theirs across sessions.
        uint hash = 2166136261;
        foreach (char c in name.ToLowerInvariant())
        {
            hash = (hash ^ c) * 16777619;
        }

        return NameColors[hash % (uint)NameColors.Length] + visible + Reset;
    }

    private string Body(string text, int indent)
    {
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            return Visible(text);
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        // Pipe mode keeps one event per output line; the terminal shows continuation lines under the text.
        string separator = singleLine ? "\\n" : "\n" + new string(' ', indent);
        return string.Join(separator, text.Split('\n').Select(Visible));
    }

    private string Paint(string code, string text) => color ? code + text + Reset : text;

    // Embeddings, overrides (U+202A-202E) and isolates (U+2066-2069) reorder what follows them on the line, so a name
    // or text could make the rest of a line read differently; only the overrides were caught before (a hostile-server audit).
    private static bool IsBidiControl(char c) => c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';

    /// <summary>
    /// IRC formatting codes are taken out (<see cref="IrcFormatting"/>); other control characters become visible symbols
    /// (ESC shows as ␛), so they cannot act on the terminal.
    /// </summary>
    public static string Visible(string text)
    {
        text = IrcFormatting.Strip(text);
        if (!text.Any(c => char.IsControl(c) || IsBidiControl(c)))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '\t' => ' ',
                < ' ' => (char)(0x2400 + c),
                '\x7f' => '\u2421',
                // C1 controls (some terminals act on 0x9B as CSI) and bidi overrides that disguise text.
                _ when char.IsControl(c) || IsBidiControl(c) => '\ufffd',
                _ => c,
            });
        }

        return builder.ToString();
    }
}
