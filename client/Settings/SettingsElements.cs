using System.Xml;
using System.Xml.Linq;

namespace LanTalk.Client.Settings;

/// <summary>
/// The elements the client's Settings.xml may hold, and a warning for each other one and each repeat: a misspelt
/// &lt;ReconnectMaxDelay&gt; or a second &lt;ReconnectMaxDelaySeconds&gt; was ignored without a word (a settings
/// audit, 2026-12-06), while the server warns of the same in its own file.
/// </summary>
internal static class SettingsElements
{
    /// <summary>The children of &lt;LanTalkClient&gt;, in the order <see cref="SettingsStore.Save"/> writes them.</summary>
    public static IReadOnlyList<string> Root { get; } = ["Server", "Port", "User", "Display", "ReconnectMaxDelaySeconds"];

    public static IReadOnlyList<string> Display { get; } = ["Color", "Seconds", "Bell"];

    // The rooms older versions kept here: ignored and dropped at the next save without a word, as they were
    // deliberately retired (the server keeps each user's rooms), and a file may hold several.
    private const string RetiredRooms = "Rooms";

    /// <summary>Warns of the unknown and repeated elements under the root and under its first &lt;Display&gt;.</summary>
    public static void Check(XElement root, string path, ICollection<string> warnings)
    {
        Check(root, string.Empty, Root, path, warnings);
        if (root.Element("Display") is { } display)
        {
            Check(display, "<Display>", Display, path, warnings);
        }
    }

    private static void Check(XElement parent, string within, IReadOnlyList<string> known, string path, ICollection<string> warnings)
    {
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var element in parent.Elements())
        {
            string name = element.Name.LocalName;
            string where = $"{path}{LineSuffix(element)}";
            if (element.Name.Namespace == XNamespace.None && within.Length == 0 && name == RetiredRooms)
            {
                continue;
            }

            if (element.Name.Namespace != XNamespace.None || !known.Contains(name))
            {
                // A save writes only the known elements, so the next one drops it: worth saying now.
                warnings.Add($"{where}: unknown element {within}<{element.Name}> is ignored and not kept when lantalk next saves the file "
                    + $"(check the spelling; {(within.Length == 0 ? "<LanTalkClient>" : within)} holds {string.Join(", ", known.Select(k => $"<{k}>"))})");
            }
            else if (firstLine.TryGetValue(name, out int first))
            {
                // Each setting is read from its first element (XContainer.Element), so that one is used.
                warnings.Add($"{where}: {within}<{name}> appears again{(first > 0 ? $" (first on line {first})" : string.Empty)}; the first one is used and this one is ignored");
            }
            else
            {
                firstLine[name] = element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
            }
        }
    }

    private static string LineSuffix(XElement element) => element is IXmlLineInfo info && info.HasLineInfo() ? $", line {info.LineNumber}" : string.Empty;
}
