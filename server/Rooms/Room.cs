using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// One room's state. Every field is guarded by the <see cref="RoomRegistry"/> lock; nothing outside the registry
/// holds a reference to it.
/// </summary>
internal sealed class Room(string name, bool isDefault)
{
    public string Name { get; } = name;

    /// <summary>The name in UTF-8, cached once: it is the target of every message frame of the room.</summary>
    public byte[] NameUtf8 { get; } = Encoding.UTF8.GetBytes(name);

    public bool IsDefault { get; } = isDefault;

    /// <summary>Only <see cref="RoomModes.Settable"/> bits.</summary>
    public RoomModes Modes { get; set; }

    /// <summary>Members by user name, online or not: membership is per user and survives restarts.</summary>
    public Dictionary<string, RoomMembership> Members { get; } = new(UserNames.Comparer);

    public HashSet<string> Owners { get; } = new(UserNames.Comparer);

    /// <summary>Users invited and not yet joined; an invitation lets them into an invite-only room once.</summary>
    public HashSet<string> Invited { get; } = new(UserNames.Comparer);

    public string Topic { get; set; } = string.Empty;

    public string TopicBy { get; set; } = string.Empty;

    public long TopicTimeMs { get; set; }

    /// <summary>The highest message id fanned out in this room: a joining member's join mark.</summary>
    public ulong LastId { get; set; }

    /// <summary>
    /// Stored messages of this room's name with ids at or below this belong to an earlier room of that name and are
    /// never shown in this one (0: the room predates the rule, or nothing was stored before it). Set once, at creation.
    /// </summary>
    public long HistoryFrom { get; init; }

    /// <summary>Set while a room created at run time is not yet in the rooms file; its messages wait for it.</summary>
    public RoomSaveGate? SaveGate { get; set; }

    /// <summary>The member sessions messages fan out to; null after a change, rebuilt by the next message.</summary>
    public IRoomSession[]? Recipients { get; set; }

    /// <summary>Members who joined or left since the last presence batch (MemberJoined / MemberLeft).</summary>
    public List<OnlineUser> PendingJoined { get; } = [];

    public List<OnlineUser> PendingLeft { get; } = [];

    /// <summary>
    /// Members kicked since the last presence batch, by whom and why (IRC shows those as KICK). Kept even when the
    /// member is back before the batch, so an IRC member sees KICK then JOIN rather than nothing.
    /// </summary>
    public List<RoomKick> PendingKicks { get; } = [];

    /// <summary>Members who left with a reason since the last presence batch (IRC shows it in the PART line).</summary>
    public List<RoomPart> PendingParts { get; } = [];

    /// <summary>
    /// The member list as of the last batch, as shared frames; null after a batch changed it. It may name members who
    /// left since, so only while their departure waits in <see cref="PendingLeft"/> for the batch's MemberLeft: whatever
    /// takes a departure out of that list without the batch (RoomRegistry.AnnounceLeave) drops this too.
    /// </summary>
    public byte[][]? MemberParts { get; set; }

    public RoomModes ModesFor(string user) =>
        Modes | (IsDefault ? RoomModes.Default : RoomModes.None) | (Owners.Contains(user) ? RoomModes.YouOwn : RoomModes.None);

    public override string ToString() => $"room '{Name}'";
}
