using LanTalk.Core.Packets;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// What an IRC session knows of one room it is in, built from the frames the registry sends it (RoomInfo, member
/// lists, MemberJoined/Left, Topic), as an IRC client builds its view from JOIN and NAMES. Read and written on the
/// session's delivery path under the session's channel lock.
/// </summary>
internal sealed class IrcChannel(string room, IrcNameIndex names)
{
    public string Room { get; } = room;

    public string Name => "#" + Room;

    public RoomModes Modes { get; set; }

    /// <summary>The owner whose SetRoomMode the next RoomInfo answers, for the MODE line's source; null for the server.</summary>
    public string? ModeSetBy { get; set; }

    public string Topic { get; set; } = string.Empty;

    public string TopicBy { get; set; } = string.Empty;

    public long TopicTimeMs { get; set; }

    public HashSet<string> Owners { get; } = new(UserNames.Comparer);

    /// <summary>Members by name (users, not sessions); <see cref="Sorted"/> lists them in NAMES and WHO order.</summary>
    /// <remarks>
    /// Bits of the server's name index, not a set of strings: every IRC session keeps this set for each of its
    /// channels, so a channel of N users costs N sets of N entries. A SortedSet spent a 48-byte node per entry (1,000
    /// IRC users in two channels held 2 million of them, 96 MB, which made full collections pause 264-292 ms); a hash
    /// set 38 KB per set; the bits 128 bytes (<see cref="IrcNameIndex"/>). Lists sort when they are shown, which is
    /// rare next to joins and lookups.
    /// </remarks>
    public IrcNameSet Members { get; } = new(names);

    /// <summary>The members in name order (case-insensitive, as the sorted set kept them).</summary>
    public string[] Sorted()
    {
        string[] sorted = Members.ToArray();
        Array.Sort(sorted, UserNames.Comparer);
        return sorted;
    }

    /// <summary>Why members are leaving (MemberParting), for the PART line their MemberLeft gives; taken by it.</summary>
    public Dictionary<string, string> PartReasons { get; } = new(UserNames.Comparer);

    /// <summary>True once the first member list arrived (NAMES was sent to the client).</summary>
    public bool Listed { get; set; }

    /// <summary>The name as NAMES shows it: '@' for owners.</summary>
    public string Decorated(string member) => Owners.Contains(member) ? "@" + member : member;

    public string ModeString => ModeStringOf(Modes);

    /// <summary>
    /// The IRC channel modes that are true of a room: +i for InviteOnly, +t unless anyone may set the topic, which is
    /// so with TopicByAnyone and always in the default room (it has no owners).
    /// </summary>
    public static string ModeStringOf(RoomModes modes)
    {
        bool topicByAnyone = (modes & (RoomModes.TopicByAnyone | RoomModes.Default)) != 0;
        return "+" + ((modes & RoomModes.InviteOnly) != 0 ? "i" : string.Empty) + (topicByAnyone ? string.Empty : "t");
    }
}
