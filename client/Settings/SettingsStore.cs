using System.Text;
using System.Xml;
using System.Xml.Linq;
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
/// &lt;/LanTalkClient&gt;
/// </code>
/// Rooms are not kept here: the server keeps each user's rooms, and rejoining a list kept here undid leaves and
/// kicks made elsewhere. The <c>Rooms</c> elements of older files are ignored and dropped at the next save.
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
            root = XDocument.Load(path, LoadOptions.SetLineInfo).Root ?? throw new XmlException("no root element");
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{path}: cannot read settings ({ex.Message}); using defaults. The file is rewritten after the next successful login.");
            return ClientSettings.Default;
        }

        SettingsElements.Check(root, path, warnings);
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
                new XElement("ReconnectMaxDelaySeconds", settings.ReconnectMaxDelaySeconds)));

        PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Several lantalk windows may save at once: each renames its own file.
        string temp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        using (var stream = PrivateFiles.Create(temp))
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
