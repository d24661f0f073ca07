using System.Text;
using System.Xml;
using System.Xml.Linq;
using LanTalk.Client.Chat;
using LanTalk.Client.Connection;

namespace LanTalk.Client.Settings;

/// <summary>
/// Reads and writes Settings.xml with System.Xml.Linq (XmlSerializer is reflection-based and not AOT-safe).
/// The layout:
/// <code>
/// &lt;LanTalkClient version="1"&gt;
///   &lt;Server&gt;chat.lan&lt;/Server&gt; &lt;Port&gt;65534&lt;/Port&gt; &lt;User&gt;alice&lt;/User&gt;
///   &lt;Display&gt;&lt;Color&gt;true&lt;/Color&gt;&lt;Seconds&gt;false&lt;/Seconds&gt;&lt;Bell&gt;true&lt;/Bell&gt;&lt;/Display&gt;
///   &lt;ReconnectMaxDelaySeconds&gt;60&lt;/ReconnectMaxDelaySeconds&gt;
///   &lt;Rooms server="chat.lan:65534" user="alice"&gt;&lt;Room&gt;lobby&lt;/Room&gt;&lt;Room&gt;dev&lt;/Room&gt;&lt;/Rooms&gt;
/// &lt;/LanTalkClient&gt;
/// </code>
/// One <c>Rooms</c> element per server and user. A <c>Rooms</c> without attributes (before 2026-12) was written
/// together with Server, Port and User, so it belongs to them; without those it is ignored.
/// </summary>
internal static class SettingsStore
{
    private const string RootName = "LanTalkClient";

    /// <summary>
    /// Loads the file, or defaults when it does not exist. A damaged file or value never stops the client: each
    /// problem becomes a warning naming the file and element, and that value falls back to its default.
    /// </summary>
    public static ClientSettings Load(string path, ICollection<string> warnings)
    {
        if (!File.Exists(path))
        {
            return ClientSettings.Default;
        }

        XElement root;
        try
        {
            root = XDocument.Load(path).Root ?? throw new XmlException("no root element");
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{path}: cannot read settings ({ex.Message}); using defaults. The file is rewritten after the next successful login.");
            return ClientSettings.Default;
        }

        var settings = ClientSettings.Default;
        string? host = Text(root, "Server");
        if (host is not null)
        {
            settings = settings with { Host = host };
        }

        string? user = Text(root, "User");
        if (user is not null)
        {
            settings = settings with { User = user };
        }

        if (Text(root, "Port") is { } port)
        {
            if (ServerAddress.TryParsePort(port, out int number))
            {
                settings = settings with { Port = number };
            }
            else
            {
                warnings.Add($"{path}: <Port> is '{port}'; it must be a number from 1 to 65535. Using {ServerAddress.DefaultPort}.");
            }
        }

        if (Text(root, "ReconnectMaxDelaySeconds") is { } delay)
        {
            if (int.TryParse(delay, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seconds)
                && seconds is >= ClientSettings.MinReconnectDelaySeconds and <= ClientSettings.MaxReconnectDelaySeconds)
            {
                settings = settings with { ReconnectMaxDelaySeconds = seconds };
            }
            else
            {
                warnings.Add($"{path}: <ReconnectMaxDelaySeconds> is '{delay}'; it must be a number of seconds from {ClientSettings.MinReconnectDelaySeconds} to {ClientSettings.MaxReconnectDelaySeconds}. Using {settings.ReconnectMaxDelaySeconds}.");
            }
        }

        var remembered = new List<RememberedRooms>();
        foreach (var rooms in root.Elements("Rooms"))
        {
            if (RoomsOwner(rooms, settings, path, warnings) is not { } owner)
            {
                continue;
            }

            var names = new List<string>();
            foreach (var room in rooms.Elements("Room"))
            {
                string name = RoomName.Normalize(room.Value);
                if (!RoomName.IsValid(name))
                {
                    warnings.Add($"{path}: <Rooms><Room> '{room.Value.Trim()}' is not a room name (1-{RoomName.MaxLength} letters, digits, '_', '-' or '.'); it is skipped.");
                }
                else if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(name);
                }
            }

            if (names.Count > 0 && !remembered.Any(r => r.IsFor(owner.Server, owner.User)))
            {
                remembered.Add(new RememberedRooms(owner.Server.Host, owner.Server.Port, owner.User, names));
            }
        }

        if (remembered.Count > 0)
        {
            settings = settings with { Rooms = remembered };
        }

        var display = DisplayOptions.Default;
        if (root.Element("Display") is { } element)
        {
            display = display with
            {
                Color = Flag(element, "Color", display.Color, path, warnings),
                Seconds = Flag(element, "Seconds", display.Seconds, path, warnings),
                Bell = Flag(element, "Bell", display.Bell, path, warnings),
            };
        }

        return settings with { Display = display };
    }

    /// <summary>Writes atomically: a temporary file beside the target, flushed to disk, then renamed over it.</summary>
    public static void Save(string path, ClientSettings settings)
    {
        var document = new XDocument(
            new XComment(" Written by lantalk. Safe to edit while lantalk is not running. No password is ever stored here. "),
            new XElement(RootName,
                new XAttribute("version", 1),
                settings.Host is null ? null : new XElement("Server", settings.Host),
                new XElement("Port", settings.Port),
                settings.User is null ? null : new XElement("User", settings.User),
                new XElement("Display",
                    new XElement("Color", settings.Display.Color ? "true" : "false"),
                    new XElement("Seconds", settings.Display.Seconds ? "true" : "false"),
                    new XComment(" Bell: ring the terminal bell for a private message or a message that mentions you. "),
                    new XElement("Bell", settings.Display.Bell ? "true" : "false")),
                new XComment($" The longest wait between reconnect tries, {ClientSettings.MinReconnectDelaySeconds}..{ClientSettings.MaxReconnectDelaySeconds} s; lantalk retries for ever until /quit. "),
                new XElement("ReconnectMaxDelaySeconds", settings.ReconnectMaxDelaySeconds),
                settings.Rooms.Count == 0 ? null : new XComment(" The rooms you were in, per server and user; lantalk rejoins those that still exist on connect. "),
                settings.Rooms.Select(r => new XElement("Rooms",
                    new XAttribute("server", new ServerAddress(r.Host, r.Port).ToString()),
                    new XAttribute("user", r.User),
                    r.Rooms.Select(room => new XElement("Room", room))))));

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Several lantalk windows may save at once (each join and part is remembered): each renames its own file.
        string temp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
            {
                document.Save(writer);
            }

            // Flush to the disk, not only to the OS, so a crash right after the rename cannot leave an empty file.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Whose rooms these are: the server and user attributes, or for the old unattributed element the Server, Port
    /// and User saved with it. Null (the rooms are ignored) when that is not known, so that no room is ever
    /// rejoined, or created, on a server or as a user it was not remembered for.
    /// </summary>
    private static (ServerAddress Server, string User)? RoomsOwner(XElement rooms, ClientSettings settings, string path, ICollection<string> warnings)
    {
        string? server = rooms.Attribute("server")?.Value.Trim();
        string? user = rooms.Attribute("user")?.Value.Trim();
        if (server is null && user is null)
        {
            return settings.Host is null || settings.User is null ? null : (new ServerAddress(settings.Host, settings.Port), settings.User);
        }

        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(server) || !ServerAddress.TryParse(server, ServerAddress.DefaultPort, out var address, out _))
        {
            warnings.Add($"{path}: <Rooms server=\"{server}\" user=\"{user}\"> needs a server (HOST:PORT) and a user; these rooms are ignored.");
            return null;
        }

        return (address, user);
    }

    private static string? Text(XElement parent, string name)
    {
        string? value = parent.Element(name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static bool Flag(XElement parent, string name, bool fallback, string path, ICollection<string> warnings)
    {
        string? value = Text(parent, name);
        switch (value?.ToUpperInvariant())
        {
            case null:
                return fallback;
            case "TRUE" or "YES" or "ON" or "1":
                return true;
            case "FALSE" or "NO" or "OFF" or "0":
                return false;
            default:
                warnings.Add($"{path}: <Display><{name}> is '{value}'; it must be true or false. Using {(fallback ? "true" : "false")}.");
                return fallback;
        }
    }
}
