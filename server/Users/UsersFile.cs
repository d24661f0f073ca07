using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace LanTalk.Server.Users;

/// <summary>The Users.xml format: one &lt;User&gt; element per account, the hash in a &lt;Password&gt; child.</summary>
public static class UsersFile
{
    public const string FileName = "Users.xml";

    /// <summary>
    /// Streams the accounts in, one &lt;User&gt; element at a time. The server rereads the file within a second of
    /// every outside edit (`user add` while it runs); a whole XDocument per reread was about 2.5 KB of objects per
    /// account that lived long enough to reach gen2, so a script adding an account a second grew the RSS by about
    /// 0.5 MB a minute (the 30-minute soak in README). One small element at a time dies young.
    /// </summary>
    public static Dictionary<string, UserRecord> Read(string path)
    {
        var users = new Dictionary<string, UserRecord>(UserNames.Comparer);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreWhitespace = true, IgnoreProcessingInstructions = true };
        try
        {
            using var reader = XmlReader.Create(path, settings);
            reader.MoveToContent();
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return users;
            }

            reader.Read();
            while (!reader.EOF && reader.Depth > 0)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                }
                else if (reader.LocalName != "User")
                {
                    reader.Skip();
                }
                else
                {
                    // The subtree reader forwards line numbers, so an error still names the line in the file.
                    XElement element;
                    using (var subtree = reader.ReadSubtree())
                    {
                        element = XElement.Load(subtree, LoadOptions.SetLineInfo);
                    }

                    reader.Read();
                    var user = ReadUser(path, element);
                    users[user.Name] = user;
                }
            }

            // Whatever follows the root must still be well-formed, as the whole-document load required.
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            throw new UserStoreException($"{path}: not valid XML at line {ex.LineNumber}: {ex.Message}. Restore it from a backup.");
        }

        return users;
    }

    private static UserRecord ReadUser(string path, XElement element)
    {
        int line = ((IXmlLineInfo)element).LineNumber;
        try
        {
            var password = element.Element("Password") ?? throw new FormatException("missing <Password>");
            return new UserRecord(
                Required(element, "name"),
                Convert.FromBase64String(Required(password, "salt")),
                Convert.FromBase64String(Required(password, "hash")),
                int.Parse(Required(password, "iterations"), CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(Required(element, "created"), CultureInfo.InvariantCulture),
                element.Attribute("lastLogin") is { } last ? DateTimeOffset.Parse(last.Value, CultureInfo.InvariantCulture) : null,
                element.Attribute("lastLoginAddress")?.Value);
        }
        catch (FormatException ex)
        {
            throw new UserStoreException($"{path}, line {line}: bad <User> entry: {ex.Message}");
        }
    }

    private static string Required(XElement element, string attribute) =>
        element.Attribute(attribute)?.Value ?? throw new FormatException($"missing attribute '{attribute}'");

    /// <summary>
    /// Streams the accounts out with an XmlWriter rather than building an XDocument: the server rewrites the file
    /// every second while people log in, and with tens of thousands of accounts a document per write was tens of
    /// megabytes of garbage, which the GC then kept committed.
    /// </summary>
    public static void Write(string path, IEnumerable<UserRecord> users)
    {
        var sorted = users.ToArray();
        Array.Sort(sorted, (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        // Owner-only: the hashes are secrets even though they are not passwords.
        AtomicFile.Write(path, stream => WriteTo(stream, sorted), ownerOnly: true);
    }

    private static void WriteTo(Stream stream, UserRecord[] users)
    {
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteComment(" LanTalk accounts. Written by lantalk-server; edit with 'lantalk-server user ...'. Passwords are PBKDF2-SHA256 hashes. ");
        xml.WriteStartElement("Users");
        xml.WriteAttributeString("version", "1");
        foreach (var user in users)
        {
            xml.WriteStartElement("User");
            xml.WriteAttributeString("name", user.Name);
            xml.WriteAttributeString("created", user.Created.ToString("o", CultureInfo.InvariantCulture));
            if (user.LastLogin is { } last)
            {
                xml.WriteAttributeString("lastLogin", last.ToString("o", CultureInfo.InvariantCulture));
            }

            if (user.LastLoginAddress is { } address)
            {
                xml.WriteAttributeString("lastLoginAddress", address);
            }

            xml.WriteStartElement("Password");
            xml.WriteAttributeString("algorithm", "PBKDF2-SHA256");
            xml.WriteAttributeString("iterations", user.Iterations.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("salt", Convert.ToBase64String(user.Salt));
            xml.WriteAttributeString("hash", Convert.ToBase64String(user.Hash));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }
}

/// <summary>A user-store problem that names the file and the fix; shown to the operator without a stack trace.</summary>
public sealed class UserStoreException(string message) : Exception(message);
