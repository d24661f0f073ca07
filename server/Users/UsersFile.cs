using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace LanTalk.Server.Users;

/// <summary>The Users.xml format: one &lt;User&gt; element per account, the hash in a &lt;Password&gt; child.</summary>
public static class UsersFile
{
    public const string FileName = "Users.xml";

    public static Dictionary<string, UserRecord> Read(string path)
    {
        var users = new Dictionary<string, UserRecord>(UserNames.Comparer);
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new UserStoreException($"{path}: not valid XML at line {ex.LineNumber}: {ex.Message}. Restore it from a backup.");
        }

        foreach (var element in document.Root?.Elements("User") ?? [])
        {
            var user = ReadUser(path, element);
            users[user.Name] = user;
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

    public static void Write(string path, IEnumerable<UserRecord> users)
    {
        var root = new XElement("Users", new XAttribute("version", 1));
        foreach (var user in users.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase))
        {
            var element = new XElement("User",
                new XAttribute("name", user.Name),
                new XAttribute("created", user.Created.ToString("o", CultureInfo.InvariantCulture)));
            if (user.LastLogin is { } last)
            {
                element.Add(new XAttribute("lastLogin", last.ToString("o", CultureInfo.InvariantCulture)));
            }

            if (user.LastLoginAddress is { } address)
            {
                element.Add(new XAttribute("lastLoginAddress", address));
            }

            element.Add(new XElement("Password",
                new XAttribute("algorithm", "PBKDF2-SHA256"),
                new XAttribute("iterations", user.Iterations),
                new XAttribute("salt", Convert.ToBase64String(user.Salt)),
                new XAttribute("hash", Convert.ToBase64String(user.Hash))));
            root.Add(element);
        }

        var document = new XDocument(
            new XComment(" LanTalk accounts. Written by lantalk-server; edit with 'lantalk-server user ...'. Passwords are PBKDF2-SHA256 hashes. "),
            root);
        // Owner-only: the hashes are secrets even though they are not passwords.
        AtomicFile.Write(path, stream => document.Save(stream), ownerOnly: true);
    }
}

/// <summary>A user-store problem that names the file and the fix; shown to the operator without a stack trace.</summary>
public sealed class UserStoreException(string message) : Exception(message);
