using System.Xml;
using System.Xml.Linq;

namespace LanTalk.Server.Settings;

/// <summary>
/// How the server reads its XML files (Settings.xml, Users.xml, Rooms.xml), and what it says when one is empty or
/// carries a DTD. Without it each file said it differently: .NET's developer text about DtdProcessing, with "line 0",
/// for a DTD in Users.xml or Rooms.xml; "Root element is missing" for an empty Rooms.xml; and Settings.xml processed
/// DTDs (an external entity quietly became an empty value).
/// </summary>
internal static class DataFileXml
{
    /// <summary>No DTD (so no entity can expand or reach outside the file), no resolver.</summary>
    public static XmlReaderSettings ReaderSettings(bool ignoreNoise = false) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = ignoreNoise,
        IgnoreWhitespace = ignoreNoise,
        IgnoreProcessingInstructions = ignoreNoise,
    };

    /// <summary>
    /// True when the file holds nothing but white space (or a byte-order mark). Reads only up to the first other
    /// character: it runs after every XML error, and reading a 50 MB bad file whole cost a 100 MB string each time.
    /// </summary>
    public static bool IsBlank(string path)
    {
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[4096];
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                foreach (char c in buffer.AsSpan(0, read))
                {
                    if (c != '\uFEFF' && !char.IsWhiteSpace(c))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Why the file was refused, in the operator's words, when the XML error was its DTD: ", line N: a &lt;!DOCTYPE&gt;
    /// ...", to follow the file name. Null when the file has no DTD (then the parser's own message is the right one).
    /// </summary>
    public static string? DtdProblem(string path) =>
        DoctypeLine(path) is { } line
            ? $", line {line}: a <!DOCTYPE> declaration (a DTD) is not allowed here, nor are the entities it declares. Remove the <!DOCTYPE ...> and write any &name; reference out as plain text"
            : null;

    /// <summary>
    /// The line of the file's &lt;!DOCTYPE&gt;, or null. The prohibiting reader throws without a line number, so a
    /// second reader parses the declaration itself: with no resolver nothing outside the file is read, and entities are
    /// only declared, never expanded, because reading stops before the root element.
    /// </summary>
    private static int? DoctypeLine(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = null, MaxCharactersFromEntities = 1024 };
        try
        {
            using var reader = XmlReader.Create(path, settings);
            var info = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.DocumentType)
                {
                    return info.LineNumber;
                }

                if (reader.NodeType == XmlNodeType.Element)
                {
                    return null;
                }
            }
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            // Not well-formed before the root (a broken DTD included), or unreadable: the parser's message says where.
        }

        return null;
    }

    /// <summary>
    /// The first attribute of <paramref name="element"/> not in <paramref name="known"/> (namespaced ones, such as xml:
    /// and xsi:, pass), or null. Users.xml and Rooms.xml refuse it: it would be ignored, then dropped at the next save.
    /// </summary>
    public static XAttribute? UnknownAttribute(XElement element, params string[] known) =>
        element.Attributes().FirstOrDefault(a => a.Name.Namespace == XNamespace.None && !a.IsNamespaceDeclaration && !known.Contains(a.Name.LocalName));
}
