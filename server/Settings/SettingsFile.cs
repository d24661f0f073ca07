using System.Xml;
using System.Xml.Linq;

namespace LanTalk.Server.Settings;

/// <summary>
/// Reads Data/Settings.xml into <see cref="ServerSettings"/>: XDocument with line info and the closed
/// <see cref="SettingRules"/> table, no XmlSerializer (it needs reflection, which Native AOT does not have).
/// </summary>
public static class SettingsFile
{
    public const string FileName = "Settings.xml";

    /// <summary>The largest Settings.xml read: every setting with a long comment fits in a few KB.</summary>
    internal const long MaxBytes = 1024 * 1024;

    /// <summary>Loads <paramref name="dataDirectory"/>/Settings.xml, or the built-in defaults when it does not exist.</summary>
    public static LoadedSettings Load(string dataDirectory)
    {
        string path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        if (History.FileKind.DescribeIfNotAFile(path) is { } kind)
        {
            throw new SettingsException($"{path} is {kind}, not a file. Move it away to run on the built-in defaults, or put a settings file there ('lantalk-server config show-defaults settings' prints one)");
        }

        if (!File.Exists(path))
        {
            return new LoadedSettings(ServerSettings.Default, null, []);
        }

        // A settings file is a few KB; reading a huge one (a wrong file, a runaway script) whole took gigabytes.
        long size = new FileInfo(path).Length;
        if (size > MaxBytes)
        {
            throw new SettingsException($"{path} is {size / 1024.0 / 1024.0:0.#} MB; a settings file is a few KB (at most {MaxBytes / 1024} KB are read). Check that it is the right file, or move it away to run on the built-in defaults");
        }

        XDocument document;
        try
        {
            using var reader = XmlReader.Create(path, DataFileXml.ReaderSettings());
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException) when (DataFileXml.IsBlank(path))
        {
            throw new SettingsException($"{path} is empty. Delete it to run on the built-in defaults, or fill it in ('lantalk-server config show-defaults settings' prints the commented defaults)");
        }
        catch (XmlException) when (DataFileXml.DtdProblem(path) is { } dtd)
        {
            throw new SettingsException($"{path}{dtd}");
        }
        catch (XmlException ex)
        {
            string where = ex.LineNumber > 0 ? $", line {ex.LineNumber}" : string.Empty;
            throw new SettingsException($"{path}{where}: not well-formed XML: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // With the fix, as Users.xml and Rooms.xml give it (an unreadable Settings.xml named none; fault injection, 2026-12-05).
            throw new SettingsException($"{path}: cannot read: {DataFileProblem.Explain(ex)}");
        }

        return Parse(document, path);
    }

    /// <summary>Parses a document already loaded with line info; <paramref name="path"/> is for messages.</summary>
    public static LoadedSettings Parse(XDocument document, string path)
    {
        var root = document.Root;
        if (root is null || root.Name.LocalName != "Settings")
        {
            throw new SettingsException($"{path}{LineSuffix(Line(root))}: the root element must be <Settings>, not <{root?.Name.LocalName}>");
        }

        // A default namespace on the root would put every element in it, and each would then be ignored as unknown:
        // the server would run on the built-in defaults with a warning per line. Refuse it with the fix instead.
        if (root.Name.Namespace != XNamespace.None)
        {
            throw new SettingsException($"{path}{LineSuffix(Line(root))}: <Settings> is in the XML namespace '{root.Name.NamespaceName}'; the settings file uses no namespace: remove xmlns=\"{root.Name.NamespaceName}\" from <Settings>");
        }

        var settings = ServerSettings.Default;
        var warnings = new List<string>();
        WarnOfAttributes(root, path, warnings);
        var seen = new Dictionary<string, int>();
        // Every bad element, not the first: an upgrade from the first releases met three narrowed ranges one failed
        // start at a time (an upgrade audit, 2026-12-06). Each keeps the file, line, element, range and fix.
        var problems = new List<string>();
        var refused = new HashSet<string>();
        foreach (var element in root.Elements())
        {
            string name = element.Name.LocalName;
            int line = Line(element);
            // <x:MaxClients xmlns:x="urn:a"> is some other vocabulary's MaxClients, not ours: it was applied as if it
            // were ours. An element in any namespace is unknown here, reported and ignored like a misspelt one.
            if (element.Name.Namespace != XNamespace.None)
            {
                string prefix = element.GetPrefixOfNamespace(element.Name.Namespace) is { Length: > 0 } p ? p + ":" : string.Empty;
                warnings.Add($"{path}, line {line}: element <{prefix}{name}> in the XML namespace '{element.Name.NamespaceName}' is unknown and ignored (settings elements have no namespace: write <{name}> to set it)");
                continue;
            }

            var rule = SettingRules.Find(name);
            if (rule is null)
            {
                warnings.Add($"{path}, line {line}: unknown element <{name}> is ignored (check the spelling; the elements are listed by 'lantalk-server config show-defaults settings')");
                continue;
            }

            if (seen.TryGetValue(name, out int first))
            {
                problems.Add($"{path}, line {line}: <{name}> appears twice (first on line {first}); keep one");
                refused.Add(name);
                continue;
            }

            seen[name] = line;
            WarnOfAttributes(element, path, warnings);
            if (element.HasElements)
            {
                problems.Add($"{path}, line {line}: <{name}> must hold a value, not child elements; allowed: {rule.Allowed}");
                refused.Add(name);
                continue;
            }

            string value = element.Value.Trim();
            if (rule.TryApply(settings, value) is { } applied)
            {
                settings = applied;
            }
            else
            {
                problems.Add($"{path}, line {line}: <{name}> has the bad value '{ShownValue.Of(value)}'; allowed: {rule.Allowed}");
                refused.Add(name);
            }
        }

        // A rule between two elements is judged only when neither was refused above: with a refused one's default in
        // its place, the check would blame values that may be right once that one is fixed.
        foreach (var (name, inputs, problem) in SettingRules.CrossChecks(settings))
        {
            if (problem is not null && !refused.Contains(name) && !inputs.Any(refused.Contains))
            {
                string where = seen.TryGetValue(name, out int line) && line > 0 ? $", line {line}" : string.Empty;
                problems.Add($"{path}{where}: {problem}");
            }
        }

        // The warnings go with the refusal: dropped, a misspelt <MaxClient> beside a bad <Port> came up only at the next
        // try, after the port was fixed (an operations audit, 2026-12-07).
        string alsoWarned = warnings.Count == 0 ? string.Empty
            : Environment.NewLine + "  also: " + string.Join(Environment.NewLine + "  also: ", warnings);
        if (problems.Count == 1)
        {
            throw new SettingsException(problems[0] + alsoWarned);
        }

        if (problems.Count > 1)
        {
            throw new SettingsException($"{path}: {problems.Count} settings must change before the server starts:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", problems) + alsoWarned);
        }

        if (settings.PasswordIterations < 100_000)
        {
            warnings.Add($"{path}{LineSuffix(seen.GetValueOrDefault("PasswordIterations"))}: <PasswordIterations> {settings.PasswordIterations} is far below the 600000 OWASP recommends; use it for test servers only");
        }

        if (settings.IrcPort >= 0 && settings.TlsMode == TlsMode.Required && !System.Net.IPAddress.IsLoopback(settings.ListenAddress))
        {
            // TlsMode Off gets its own warning at start; a plaintext IRC port on a TLS server said nothing, though
            // SASL PLAIN and PASS carry the account's password.
            warnings.Add($"{path}{LineSuffix(seen.GetValueOrDefault("IrcPort"))}: <IrcPort> {settings.IrcPort} is plaintext IRC: the passwords (SASL, PASS) and messages of IRC clients that use it cross the network in the clear; on an untrusted network use only <IrcTlsPort> and set <IrcPort>-1</IrcPort>");
        }

        return new LoadedSettings(settings, path, warnings);
    }

    /// <summary>
    /// Settings have no attributes: &lt;Port unit="x"&gt; or &lt;HistoryDays keep="forever"&gt; reads as if it
    /// meant something, yet it was ignored without a word (fault injection, 2026-12-06), while unknown elements are
    /// reported. A warning, like theirs: the value itself is still valid.
    /// </summary>
    private static void WarnOfAttributes(XElement element, string path, List<string> warnings)
    {
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
        {
            warnings.Add($"{path}, line {LineOf(attribute, element)}: attribute {attribute.Name.LocalName}=\"{ShownValue.Of(attribute.Value, 40)}\" on <{element.Name.LocalName}> "
                + $"is ignored (settings take no attributes: remove it; the value goes between <{element.Name.LocalName}> and </{element.Name.LocalName}>)");
        }
    }

    private static int LineOf(XAttribute attribute, XElement element) => Line(attribute) is > 0 and var line ? line : Line(element);

    /// <summary>", line N", or nothing when there is no line to point at (a line 0 helps nobody).</summary>
    private static string LineSuffix(int line) => line > 0 ? $", line {line}" : string.Empty;

    private static int Line(XObject? node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}
