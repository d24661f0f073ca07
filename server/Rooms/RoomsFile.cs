using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LanTalk.Core.Packets;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Rooms.xml in the data directory: rooms, modes, topics, owners, invitations and members, so they survive a restart.
/// Written whole and atomically (temp file, fsync, rename) like Users.xml, so a crash leaves the old or the new file,
/// never half of one. A malformed file stops the server with an error naming the file, line, field and the fix.
/// </summary>
internal sealed class RoomsFile(string path)
{
    public const string FileName = "Rooms.xml";

    public string Path { get; } = path;

    public static RoomsFile In(string dataDirectory) => new(System.IO.Path.Combine(dataDirectory, FileName));

    /// <summary>The saved state, or empty when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid rooms file; the message says where and what to do.</exception>
    public RoomsSnapshot Load()
    {
        if (History.FileKind.DescribeIfNotAFile(Path) is { } kind)
        {
            // File.Exists is false for a directory: the server started with no rooms and could never save them.
            throw new InvalidDataException($"{Path} is {kind}, not a file. Move it away to start with only the default room, or put the rooms file back there.");
        }

        if (!File.Exists(Path))
        {
            return RoomsSnapshot.Empty;
        }

        XDocument document;
        try
        {
            using var stream = File.OpenRead(Path);
            using var reader = XmlReader.Create(stream, DataFileXml.ReaderSettings());
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException) when (DataFileXml.IsBlank(Path))
        {
            throw new InvalidDataException($"{Path} is empty. Delete it to start with only the default room, or restore it from a backup (FILE.rooms.xml beside a history backup), with the server stopped.");
        }
        catch (XmlException) when (DataFileXml.DtdProblem(Path) is { } dtd)
        {
            throw new InvalidDataException($"{Path}{dtd}.");
        }
        catch (XmlException ex)
        {
            throw Problem(ex.LineNumber, $"is not well-formed XML ({ex.Message})");
        }

        var root = document.Root!;
        if (root.Name.LocalName != "Rooms")
        {
            throw Problem(Line(root), $"the root element is <{root.Name.LocalName}>, not <Rooms>");
        }

        // The next save writes only what was read: a newer layout or an element this server does not know would be
        // dropped from the file without a word, so both stop the start instead.
        if ((string?)root.Attribute("version") is { } version && version != "1")
        {
            throw Problem(Line(root), $"<Rooms version=\"{version}\"> is not a version this server reads (1); a newer lantalk-server wrote it");
        }

        // xmlns="..." on <Rooms> put every <Room> in that namespace, where Elements("Room") does not look: every room
        // was dropped without a word, and the next save wrote the empty list over the file.
        if (document.Descendants().FirstOrDefault(e => e.Name.Namespace != XNamespace.None) is { } foreign)
        {
            string ns = foreign.Name.NamespaceName;
            string attribute = foreign.GetPrefixOfNamespace(foreign.Name.Namespace) is { Length: > 0 } prefix ? $"xmlns:{prefix}=\"{ns}\" and the prefix {prefix}:" : $"xmlns=\"{ns}\"";
            throw Problem(Line(foreign), $"<{foreign.Name.LocalName}> is in the XML namespace '{ns}'; Rooms.xml uses no namespace: remove {attribute}");
        }

        OnlyAttributes(root, "version", "defaultRoom");
        string? defaultRoom = DefaultRoom(root);
        Only(root, "Room", "LeftDefault", "Account", "DeletedRoom");
        var rooms = new List<SavedRoom>();
        var names = new HashSet<string>(RoomNames.Comparer);
        foreach (var element in root.Elements("Room"))
        {
            string name = Required(element, "name");
            if (!RoomNames.IsValidExisting(name, RoomNames.MaxLength, out string problem))
            {
                throw Problem(Line(element), $"<Room name=\"{name}\">: {problem}");
            }

            if (!names.Add(name))
            {
                throw Problem(Line(element), $"room '{name}' is listed twice (names match case-insensitively)");
            }

            Only(element, "Topic", "Owner", "Invited", "Member");
            if (element.Elements("Topic").Skip(1).FirstOrDefault() is { } second)
            {
                throw Problem(Line(second), $"room '{name}' has more than one <Topic>");
            }

            var topic = element.Element("Topic");
            string topicText = topic?.Value ?? string.Empty;
            if (topic is not null && Flag(topic, "escaped"))
            {
                topicText = TopicEscape.FromFile(topicText, out string escapeProblem)
                    ?? throw Problem(Line(topic), $"the escaped <Topic> of room '{name}' is not valid: {escapeProblem}; write a backslash as two, or remove escaped=\"true\" if the text holds no escapes");
            }

            // Only what a SetTopic could have set: one line, no controls but IRC formatting (TopicText).
            topicText = TopicText.Clean(topicText);
            // RoomInfo carries the topic in a frame: a longer one made every login of a member fail with InternalError.
            if (System.Text.Encoding.UTF8.GetByteCount(topicText) > MaxTopicBytes)
            {
                throw Problem(Line(topic!), $"the <Topic> of room '{name}' is {System.Text.Encoding.UTF8.GetByteCount(topicText)} bytes; at most {MaxTopicBytes} fit the protocol");
            }

            string topicBy = (string?)topic?.Attribute("by") ?? string.Empty;
            if (topicBy.Length > 0)
            {
                UserName(topic!, "by");
            }

            var members = Members(element, name);
            var owners = element.Elements("Owner").Select(o => (Element: o, Name: UserName(o, "name"))).ToList();
            // An owner leaves the owners when they leave the room, so an owner who is no member is contradictory:
            // the room would have an owner nobody sees in its member list. Which half is right only the operator knows.
            if (owners.FirstOrDefault(o => !members.Any(m => UserNames.Comparer.Equals(m.Name, o.Name))) is { Element: not null } stranger)
            {
                throw Problem(Line(stranger.Element), $"<Owner name=\"{stranger.Name}\"> of room '{name}' is not a member of it (an owner is always a member); "
                    + $"add <Member name=\"{stranger.Name}\" joined=\"...\" /> to the room, or remove that <Owner> line");
            }

            rooms.Add(new SavedRoom(
                name,
                Modes(element, name),
                topicText,
                topicBy,
                topic is not null ? Time(topic, "time") : 0,
                owners.Select(o => o.Name).ToList(),
                element.Elements("Invited").Select(i => UserName(i, "name")).ToList(),
                members,
                Long(element, "historyFrom")));
        }

        var left = root.Elements("LeftDefault").Select(e => UserName(e, "name")).ToList();
        var accounts = new Dictionary<string, long>(UserNames.Comparer);
        foreach (var account in root.Elements("Account"))
        {
            // A repeated name keeps its last line: the entry only ever makes the server forget, never grants anything.
            accounts[UserName(account, "name")] = Time(account, "created");
        }

        return new RoomsSnapshot(rooms, left, defaultRoom, accounts.Count == 0 ? null : accounts,
            DeletedRooms(root) is { Count: > 0 } deleted ? deleted : null);
    }

    /// <summary>The wire bound of a topic (RoomRequest's Text), which Settings' MaxTopicBytes cannot exceed either.</summary>
    public const int MaxTopicBytes = 4096;

    /// <summary>Replaces the file with <paramref name="snapshot"/>.</summary>
    public void Save(RoomsSnapshot snapshot)
    {
        var root = new XElement("Rooms", new XAttribute("version", "1"));
        if (snapshot.DefaultRoom is { } defaultRoom)
        {
            // The room the LeftDefault entries left: after DefaultRoom is renamed in Settings.xml they no longer apply.
            root.Add(new XAttribute("defaultRoom", defaultRoom));
        }

        foreach (var room in snapshot.Rooms)
        {
            var element = new XElement("Room", new XAttribute("name", room.Name), new XAttribute("modes", ((uint)room.Modes).ToString(CultureInfo.InvariantCulture)));
            if (room.HistoryFrom > 0)
            {
                element.Add(new XAttribute("historyFrom", room.HistoryFrom.ToString(CultureInfo.InvariantCulture)));
            }

            if (room.Topic.Length > 0)
            {
                string topic = TopicEscape.ToFile(room.Topic, out bool escaped);
                var topicElement = new XElement("Topic", new XAttribute("by", room.TopicBy), new XAttribute("time", room.TopicTimeMs.ToString(CultureInfo.InvariantCulture)), topic);
                if (escaped)
                {
                    topicElement.Add(new XAttribute("escaped", "true"));
                }

                element.Add(topicElement);
            }

            element.Add(room.Owners.Select(o => new XElement("Owner", new XAttribute("name", o))));
            element.Add(room.Invited.Select(i => new XElement("Invited", new XAttribute("name", i))));
            element.Add(room.Members.Select(m => new XElement("Member", new XAttribute("name", m.Name), new XAttribute("joined", m.JoinedAtMs.ToString(CultureInfo.InvariantCulture)))));
            root.Add(element);
        }

        root.Add(snapshot.LeftDefault.Select(n => new XElement("LeftDefault", new XAttribute("name", n))));
        root.Add((snapshot.DeletedRooms ?? []).Select(n => new XElement("DeletedRoom", new XAttribute("name", n))));
        if (snapshot.Accounts is { } accounts)
        {
            root.Add(accounts.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => new XElement("Account", new XAttribute("name", a.Key), new XAttribute("created", a.Value.ToString(CultureInfo.InvariantCulture)))));
        }
        var document = new XDocument(new XComment(" LanTalk rooms and their members. Written by lantalk-server while it runs; stop the server before editing. "), root);
        // Owner-only, as Users.xml: who is in which invite-only room, and who is invited, is nobody else's business.
        AtomicFile.Write(Path, stream => document.Save(stream), ownerOnly: true);
    }

    private static int Line(XObject node) => ((IXmlLineInfo)node).LineNumber;

    private string Required(XElement element, string attribute) =>
        (string?)element.Attribute(attribute) is { Length: > 0 } value ? value
            : throw Problem(Line(element), $"<{element.Name.LocalName}> needs a non-empty {attribute}=\"...\" attribute");

    /// <summary>Throws for an attribute not in <paramref name="known"/> (the next save would drop it), naming it and its line.</summary>
    private void OnlyAttributes(XElement element, params string[] known)
    {
        if (DataFileXml.UnknownAttribute(element, known) is { } unknown)
        {
            throw Problem(Line(element), $"<{element.Name.LocalName}> has the attribute {unknown.Name.LocalName}=\"{Settings.ShownValue.Of(unknown.Value, 40)}\", which LanTalk does not know (the next save would drop it); only {string.Join(", ", known)} belong there");
        }
    }

    /// <summary>Throws for a child element not in <paramref name="allowed"/>, naming it and its line.</summary>
    private void Only(XElement parent, params string[] allowed)
    {
        if (parent.Elements().FirstOrDefault(e => !allowed.Contains(e.Name.LocalName)) is { } unknown)
        {
            throw Problem(Line(unknown), $"unknown element <{unknown.Name.LocalName}> in <{parent.Name.LocalName}>; only {string.Join(", ", allowed.Select(a => $"<{a}>"))} belong there (the next save would drop it)");
        }

        foreach (var child in parent.Elements())
        {
            OnlyAttributes(child, child.Name.LocalName switch
            {
                "Room" => ["name", "modes", "historyFrom"],
                "Topic" => ["by", "time", "escaped"],
                "Member" => ["name", "joined"],
                "Account" => ["name", "created"],
                _ => ["name"],
            });
        }
    }

    /// <summary>
    /// The default room the LeftDefault entries left. One that is no room name ("-1", "", "a#b") was taken as a rename
    /// of the default room: everyone who had left it was put back in it, with an INFO that did not name the file
    /// (fault injection, 2026-12-06). Absent is fine: files from before it was written.
    /// </summary>
    private string? DefaultRoom(XElement root)
    {
        if (root.Attribute("defaultRoom") is not { } attribute)
        {
            return null;
        }

        return RoomNames.IsValidExisting(attribute.Value, RoomNames.MaxLength, out string problem) ? attribute.Value
            : throw Problem(Line(root), $"<Rooms defaultRoom=\"{Settings.ShownValue.Of(attribute.Value, 40)}\"> is not a room name ({problem}); it names the default room that the <LeftDefault> users left: "
                + "write the DefaultRoom of Settings.xml (lobby unless set) there, or remove the attribute and the <LeftDefault> lines to put everyone back in the default room");
    }

    /// <summary>
    /// The deleted rooms whose stored messages are still to be removed (<see cref="PendingPurge"/>), each once. A name
    /// given twice is one removal, not an error: the entry only ever removes what no room shows any more.
    /// </summary>
    private List<string> DeletedRooms(XElement root)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(RoomNames.Comparer);
        foreach (var element in root.Elements("DeletedRoom"))
        {
            string name = Required(element, "name");
            if (!RoomNames.IsValidExisting(name, RoomNames.MaxLength, out string problem))
            {
                throw Problem(Line(element), $"<DeletedRoom name=\"{Settings.ShownValue.Of(name, 40)}\">: {problem}");
            }

            if (seen.Add(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>A user name attribute: names go to clients in member lists and IRC lines, where a space or ':' breaks them.</summary>
    private string UserName(XElement element, string attribute)
    {
        string name = Required(element, attribute);
        return UserNames.IsValidExisting(name, 256, out string problem) ? name
            : throw Problem(Line(element), $"<{element.Name.LocalName} {attribute}=\"{name}\"> is not a valid user name ({problem})");
    }

    /// <summary>
    /// The members, each once. Two lines for one user (names match case-insensitively) were merged into one, keeping
    /// one spelling and one join time, and the next save wrote that guess: which line is right only the operator knows.
    /// </summary>
    private List<(string Name, long JoinedAtMs)> Members(XElement room, string roomName)
    {
        var members = new List<(string Name, long JoinedAtMs)>();
        var seen = new Dictionary<string, (string Spelling, int Line)>(UserNames.Comparer);
        foreach (var member in room.Elements("Member"))
        {
            string name = UserName(member, "name");
            if (seen.TryGetValue(name, out var first))
            {
                throw Problem(Line(member), $"room '{roomName}' lists the member '{name}' twice (as '{first.Spelling}' on line {first.Line}; user names match case-insensitively); keep one of the two <Member> lines");
            }

            seen[name] = (name, Line(member));
            members.Add((name, Time(member, "joined")));
        }

        return members;
    }

    /// <summary>
    /// Only the bits a room can have: this server never writes others, and 999999999999 was silently read as 3
    /// (invite-only, anyone sets the topic), closing a room nobody asked to close.
    /// </summary>
    private RoomModes Modes(XElement room, string roomName)
    {
        long modes = Long(room, "modes");
        return (modes & ~(long)RoomModes.Settable) == 0 ? (RoomModes)modes
            : throw Problem(Line(room), $"room '{roomName}' has modes=\"{room.Attribute("modes")!.Value}\", which is not a room mode; allowed: 0 (open), 1 (invite-only), 2 (any member sets the topic) or 3 (both)");
    }

    private bool Flag(XElement element, string attribute) => (string?)element.Attribute(attribute) switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw Problem(Line(element), $"<{element.Name.LocalName} {attribute}=\"{other}\"> is neither true nor false"),
    };

    private long Long(XElement element, string attribute)
    {
        if (element.Attribute(attribute) is not { } value)
        {
            return 0;
        }

        return long.TryParse(value.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) && number >= 0 ? number
            : throw Problem(Line(element), $"<{element.Name.LocalName} {attribute}=\"{value.Value}\"> is not a whole number of 0 or more");
    }

    /// <summary>A time in Unix milliseconds: one past the year 9999 is damage, not a moment any client can show or order by.</summary>
    private long Time(XElement element, string attribute)
    {
        long ms = Long(element, attribute);
        return ms <= LanTalk.Core.Protocol.UnixMilliseconds.Max ? ms
            : throw Problem(Line(element), $"<{element.Name.LocalName} {attribute}=\"{ms}\"> is not a time: Unix milliseconds end at {LanTalk.Core.Protocol.UnixMilliseconds.Max} (the year 9999)");
    }

    private InvalidDataException Problem(int line, string what) =>
        new($"{Path}, line {line}: {what}. Fix the file, or restore it from the last backup (FILE.rooms.xml beside the backup's FILE). Moving it away starts with only the default room: the other rooms' members and topics are lost, and their stored messages are then reachable by nobody.");
}
