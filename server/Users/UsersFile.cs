using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Users;

/// <summary>The Users.xml format: one &lt;User&gt; element per account, the hash in a &lt;Password&gt; child.</summary>
public static class UsersFile
{
    public const string FileName = "Users.xml";

    /// <summary>The largest iteration count accepted from the file: far above any real cost, low enough to bound one login's CPU.</summary>
    public const int MaxIterations = 100_000_000;

    /// <summary>
    /// Reads and validates every field of every account, so a damaged file stops start-up (or a command) with the
    /// file, line, field and fix, instead of loading and failing each login later. Streams the accounts in, one
    /// &lt;User&gt; element at a time: the server rereads the file within a second of every outside edit (`user add`
    /// while it runs), and a whole XDocument per reread was about 2.5 KB of objects per account that lived long
    /// enough to reach gen2 (RSS grew about 0.5 MB a minute in the 30-minute soak with one `user add` a second).
    /// </summary>
    /// <param name="repairing">An account whose damaged &lt;Password&gt; is read as a placeholder (see <see cref="UserStore.Open"/>).</param>
    public static Dictionary<string, UserRecord> Read(string path, string? repairing = null)
    {
        var users = new Dictionary<string, UserRecord>(UserNames.Comparer);
        var settings = Settings.DataFileXml.ReaderSettings(ignoreNoise: true);
        try
        {
            using var reader = XmlReader.Create(path, settings);
            reader.MoveToContent();
            var info = (IXmlLineInfo)reader;
            if (reader.LocalName != "Users")
            {
                throw new UserStoreException($"{path}, line {info.LineNumber}: the root element is <{reader.LocalName}>, not <Users>. This is not a LanTalk accounts file; restore Users.xml from a backup.");
            }

            // xmlns="..." on <Users> puts every element in that namespace: each account was then reported as lacking
            // its <Password>, which sent the operator to reset passwords that were fine.
            NoNamespace(path, reader, info);
            if (reader.GetAttribute("version") is { } version && version != "1")
            {
                throw new UserStoreException($"{path}, line {info.LineNumber}: <Users version=\"{version}\"> is not a version this server reads (1). Use the lantalk-server that wrote it, or restore a backup.");
            }

            // An attribute of <Users> other than version was ignored and dropped at the next write, like one on <User>.
            while (reader.MoveToNextAttribute())
            {
                if (reader.NamespaceURI.Length == 0 && reader.LocalName != "version")
                {
                    throw new UserStoreException($"{path}, line {info.LineNumber}: <Users> has the attribute {reader.LocalName}=\"{ShownValue.Of(reader.Value, 40)}\", which LanTalk does not know: it would be ignored, and dropped at the next write. Only version belongs there; remove it, or fix the spelling.");
                }
            }

            reader.MoveToElement();
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
                else if (reader.LocalName != "User" || reader.NamespaceURI.Length > 0)
                {
                    NoNamespace(path, reader, info);
                    throw new UserStoreException($"{path}, line {info.LineNumber}: unexpected element <{reader.LocalName}>; only <User> entries belong in <Users>. Remove it, or fix the spelling.");
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
                    var user = ReadUser(path, element, repairing);
                    if (users.TryGetValue(user.Name, out var first))
                    {
                        throw new UserStoreException($"{path}, line {Line(element)}: user '{user.Name}' appears twice (also as '{first.Name}'; names ignore case). Remove one entry.");
                    }

                    users[user.Name] = user;
                }
            }

            // Whatever follows the root must still be well-formed, as the whole-document load required.
            while (reader.Read())
            {
            }
        }
        catch (XmlException) when (Settings.DataFileXml.IsBlank(path))
        {
            throw new UserStoreException($"{path} is empty. Restore it from a backup, or delete it to start with no accounts.");
        }
        catch (XmlException) when (Settings.DataFileXml.DtdProblem(path) is { } dtd)
        {
            throw new UserStoreException($"{path}{dtd}.");
        }
        catch (XmlException ex)
        {
            // XmlException's message ends with its own period ("Line 1, position 1.").
            throw new UserStoreException($"{path}: not valid XML at line {ex.LineNumber}: {ex.Message.TrimEnd('.')}. Restore it from a backup.");
        }

        return users;
    }

    private static void NoNamespace(string path, XmlReader reader, IXmlLineInfo info)
    {
        if (reader.NamespaceURI.Length > 0)
        {
            string attribute = reader.Prefix.Length > 0 ? $"xmlns:{reader.Prefix}=\"{reader.NamespaceURI}\" and the prefix {reader.Prefix}:" : $"xmlns=\"{reader.NamespaceURI}\"";
            throw new UserStoreException($"{path}, line {info.LineNumber}: <{reader.Name}> is in the XML namespace '{reader.NamespaceURI}'; the accounts file uses no namespace. Remove {attribute} (the accounts themselves are fine).");
        }
    }

    private static UserRecord ReadUser(string path, XElement element, string? repairing)
    {
        int line = Line(element);
        string name = element.Attribute("name")?.Value ?? string.Empty;
        string where = $"{path}, line {line}: <User name=\"{name}\">";
        // The protocol's ceiling (128 characters that fit in 128 bytes), not the MaxUserNameLength setting: lowering
        // the setting, or an account made under the first releases' larger one, must not make the file unreadable
        // (those accounts are reported at start and refused at login until the setting is raised).
        if (!UserNames.IsValidExisting(name, UserNames.MaxLength, out string problem))
        {
            throw new UserStoreException($"{where}: attribute 'name' is not a valid user name ({problem}). Fix the name, or remove the entry and add the user again with 'lantalk-server user add'.");
        }

        OnlyAttributes(path, element, name, "name", "created", "originalCreated", "lastLogin", "lastLoginAddress");
        (byte[] Salt, byte[] Hash, int Iterations) credentials;
        try
        {
            credentials = ReadPassword(path, element, where, name);
        }
        catch (UserStoreException) when (repairing is not null && UserNames.Comparer.Equals(name, repairing))
        {
            // 'user passwd NAME' (or 'user remove NAME') mends exactly this: the error's own advice failed with the
            // same error before (an ops audit, 2026-12-05). No password matches the placeholder; the command replaces it.
            credentials = ([], [], 1);
        }

        var created = Date(where, element, "created", required: true)!.Value;
        var original = Date(where, element, "originalCreated", required: false);
        var lastLogin = Date(where, element, "lastLogin", required: false);
        string? address = LoginAddress(where, element);
        return new UserRecord(name, credentials.Salt, credentials.Hash, credentials.Iterations, created, lastLogin, address, original);
    }

    /// <summary>
    /// lastLoginAddress, absent or an IP address as the server writes it (IPAddress.ToString, IPv4-mapped written as
    /// IPv4). The login compares it as text with the address connecting, so anything else ("not-an-address", a typo,
    /// FE80::1 for fe80::1) silently took away that user's exemption from the per-name lockout (fault injection, 2026-12-06).
    /// </summary>
    private static string? LoginAddress(string where, XElement element)
    {
        string? text = element.Attribute("lastLoginAddress")?.Value;
        if (text is null)
        {
            return null;
        }

        string fix = "Remove the attribute (the server writes it again at the next login).";
        if (text.Length > 256 || !IPAddress.TryParse(text, out var address))
        {
            throw new UserStoreException($"{where}: attribute 'lastLoginAddress' is '{ShownValue.Of(text, 40)}', not an IP address. {fix}");
        }

        string written = Net.PeerAddress.Of(address).ToString();
        return written == text ? text
            : throw new UserStoreException($"{where}: attribute 'lastLoginAddress' is '{text}', which the server writes as '{written}' and so never matches a login. Write it as '{written}', or remove the attribute.");
    }

    /// <summary>The &lt;Password&gt; of a &lt;User&gt;: salt, hash and iterations, or an error naming the field and the fix.</summary>
    private static (byte[] Salt, byte[] Hash, int Iterations) ReadPassword(string path, XElement element, string where, string name)
    {
        string reset = $"Restore the file from a backup, or reset the password with 'lantalk-server user passwd {name}'.";
        var password = element.Element("Password")
            ?? throw new UserStoreException($"{where}: the <Password> element is missing. {reset}");
        // Anything else in <User> was ignored, and the next write dropped it: a misspelt element is said, not lost.
        if (element.Elements().FirstOrDefault(e => e.Name.LocalName != "Password" || e.Name.Namespace != XNamespace.None) is { } unknown)
        {
            throw new UserStoreException($"{path}, line {Line(unknown)}: <User name=\"{name}\"> holds an unexpected element <{unknown.Name.LocalName}>; only one <Password> belongs in it. Remove it, or fix the spelling.");
        }

        // Only the first was read, so a second one (pasted from another account) was silently ignored.
        if (element.Elements("Password").Skip(1).FirstOrDefault() is { } second)
        {
            throw new UserStoreException($"{path}, line {Line(second)}: <User name=\"{name}\"> has a second <Password> element (the first is on line {Line(password)}); an account has one. Remove the one that is not this account's; if you cannot tell which, keep either and reset the password with 'lantalk-server user passwd {name}'.");
        }
        OnlyAttributes(path, password, name, "algorithm", "iterations", "salt", "hash");
        if (password.Attribute("algorithm") is { } algorithm && algorithm.Value != "PBKDF2-SHA256")
        {
            throw new UserStoreException($"{where}: <Password algorithm=\"{algorithm.Value}\"> is not supported; it must be PBKDF2-SHA256. {reset}");
        }

        string iterationsText = Required(where, password, "iterations", reset);
        if (!int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations < 1 || iterations > MaxIterations)
        {
            throw new UserStoreException($"{where}: <Password iterations=\"{iterationsText}\"> must be a whole number from 1 to {MaxIterations}. {reset}");
        }

        byte[] salt = Base64(where, password, "salt", reset);
        byte[] hash = Base64(where, password, "hash", reset);
        if (salt.Length == 0)
        {
            throw new UserStoreException($"{where}: <Password salt> is empty. {reset}");
        }

        if (hash.Length != PasswordHasher.HashBytes)
        {
            throw new UserStoreException($"{where}: <Password hash> holds {hash.Length} bytes; a PBKDF2-SHA256 hash has {PasswordHasher.HashBytes}. {reset}");
        }

        return (salt, hash, iterations);
    }

    /// <summary>
    /// Refuses an attribute LanTalk does not know: it was ignored and dropped at the next write, so an operator's
    /// <c>disabled="true"</c> silently did nothing (fault injection, 2026-12-04). Namespaced ones (xml:, xsi:) pass.
    /// </summary>
    private static void OnlyAttributes(string path, XElement element, string user, params string[] known)
    {
        if (DataFileXml.UnknownAttribute(element, known) is { } unknown)
        {
            string removal = unknown.Name.LocalName is "disabled" or "locked" or "enabled"
                ? $" To keep someone out, remove the account: 'lantalk-server user remove {user}'."
                : string.Empty;
            throw new UserStoreException($"{path}, line {Line(element)}: <{element.Name.LocalName}> of user '{user}' has the attribute {unknown.Name.LocalName}=\"{ShownValue.Of(unknown.Value, 40)}\", which LanTalk does not know: it would be ignored, and dropped at the next write. "
                + $"Only {string.Join(", ", known)} belong there; remove it, or fix the spelling.{removal}");
        }
    }

    private static string Required(string where, XElement element, string attribute, string fix) =>
        element.Attribute(attribute)?.Value
        ?? throw new UserStoreException($"{where}: attribute '{attribute}' of <{element.Name.LocalName}> is missing. {fix}");

    private static byte[] Base64(string where, XElement element, string attribute, string fix)
    {
        string text = Required(where, element, attribute, fix);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new UserStoreException($"{where}: <Password {attribute}> is not Base64. {fix}");
        }
    }

    private static DateTimeOffset? Date(string where, XElement element, string attribute, bool required)
    {
        var value = element.Attribute(attribute)?.Value;
        if (value is null)
        {
            return required
                ? throw new UserStoreException($"{where}: attribute '{attribute}' is missing. Add it as a date such as {DateTimeOffset.UnixEpoch:o}.")
                : null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UserStoreException($"{where}: attribute '{attribute}' is '{value}', not a date. Write it as a date such as {DateTimeOffset.UnixEpoch:o}{(required ? string.Empty : ", or remove it")}.");
    }

    private static int Line(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 1;

    /// <summary>
    /// Streams the accounts out with an XmlWriter rather than building an XDocument: the server rewrites the file
    /// every second while people log in, and with tens of thousands of accounts a document per write was tens of
    /// megabytes of garbage, which the GC then kept committed.
    /// </summary>
    public static void Write(string path, IEnumerable<UserRecord> users)
    {
        var sorted = users.ToArray();
        Array.Sort(sorted, (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        // Owner-only, always: the hashes are secrets even though they are not passwords (UsersFileMode).
        AtomicFile.Write(path, stream => WriteTo(stream, sorted), ownerOnly: true, secret: true);
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
            if (user.OriginalCreated is { } original)
            {
                // The account's identity after its created date was corrected (UserRecord.IdentityMs).
                xml.WriteAttributeString("originalCreated", original.ToString("o", CultureInfo.InvariantCulture));
            }

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
