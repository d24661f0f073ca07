using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;
using NLog;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Owns who is online (users and their sessions), the rooms, their members, owners, invitations and topics, and
/// presence batching, all under ONE lock that only this class takes. Split by concern: the roster (.Roster), presence
/// batches (.Presence), room commands (.Commands, .Owners), message recipients (.Recipients), persistence (.Persistence).
/// <para>
/// RoomStateOrder: the frames that tell a session a room's state changed (a join's RoomInfo and member list, RoomLeft
/// for a leave, kick or deletion, Topic, RoomInfo for a mode change or a succession) are queued under the lock, in
/// the order the changes were made; a queue takes a frame without blocking. Queued after the lock, two changes at
/// the same moment could reach a client in the other order: a kicked user who rejoined at once got the kick's RoomLeft
/// after the rejoin's answer and believed itself out, and a room left by its owner and its heir together showed the
/// first heir as owner last. Presence batches (MemberJoined/Left, UserConnected/Disconnected) go out after the lock,
/// from one flushing thread at a time, so they keep their own order.
/// </para>
/// </summary>
internal sealed partial class RoomRegistry : IRoomRegistry
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Rooms");

    private readonly Lock _lock = new();
    private readonly Func<ServerSettings> _settings;
    private readonly Func<string, string?> _findAccount;
    private readonly Func<string, long>? _accountCreatedMs;

    // The accounts' creation times the rooms file recorded, for the start's check of names taken by new accounts.
    private readonly IReadOnlyDictionary<string, long>? _loadedAccounts;
    private readonly Dictionary<string, Room> _rooms = new(RoomNames.Comparer);
    private readonly Room _default;

    private readonly Func<long> _lastMessageId;

    // Rooms whose historyFrom was lowered at load (CheckedHistoryFrom); saved with the first batch. Constructor only.
    private readonly List<string> _historyFromRepaired = [];

    /// <summary>Users who left the default room; everyone else is put in it at login.</summary>
    private readonly HashSet<string> _leftDefault = new(UserNames.Comparer);

    /// <summary>
    /// Tests only: called under the lock with the session once a login is admitted and its UserAuthenticated queued,
    /// before it is put in its rooms, to hold that moment open.
    /// </summary>
    internal Action<IRoomSession>? AfterWelcome { get; set; }

    /// <param name="settings">Read per use, so a reload's new limits apply at once.</param>
    /// <param name="findAccount">An account's stored name, or null when there is none (invitations, WhoIs).</param>
    /// <param name="roomsFile">Where rooms and membership persist; null keeps them in memory only.</param>
    /// <param name="lastMessageId">The highest message id committed so far (0 without a store): a room created now shows no history at or below it.</param>
    /// <param name="accountCreatedMs">An account's identity (<see cref="UserRecord.IdentityMs"/>: when it was created, Unix ms, before any correction of a date in the future): a name the rooms file recorded with another is a new person.</param>
    /// <param name="accountsKnown">
    /// False when Users.xml is missing at start: then no name in the rooms file is taken as removed. Every member lost
    /// every room when the server started in the moment the file was moved aside (a regression audit, 2026-12-06).
    /// </param>
    /// <param name="forgetHistory">
    /// Removes a deleted room's stored messages up to an id (<see cref="PurgeBound"/>) and tells whether that was
    /// complete; null without history. A deleted room stays listed in the rooms file until it was (.Purges).
    /// </param>
    public RoomRegistry(Func<ServerSettings> settings, Func<string, string?> findAccount, RoomsFile? roomsFile, Func<long>? lastMessageId = null,
        Func<string, long>? accountCreatedMs = null, bool accountsKnown = true, Func<string, long, Task<bool>>? forgetHistory = null)
    {
        _forgetHistory = forgetHistory;
        _settings = settings;
        _accountCreatedMs = accountCreatedMs;
        _lastMessageId = lastMessageId ?? (static () => 0);
        _findAccount = findAccount;
        _roomsFile = roomsFile;
        _roomsFileKnown = roomsFile is not null && File.Exists(roomsFile.Path);
        string defaultName = settings().DefaultRoom;
        List<(string Room, string Message)> repairs = [];
        var loaded = roomsFile is null ? RoomsSnapshot.Empty
            : DefaultRoomRepair.Apply(OwnerlessRooms.GiveOwners(roomsFile.Load(), defaultName, roomsFile.Path, name => findAccount(name) is not null, out repairs), defaultName, roomsFile.Path, repairs);
        _loadedAccounts = loaded.Accounts;
        long lastId = lastMessageId is null ? -1 : _lastMessageId();
        foreach (var saved in loaded.Rooms)
        {
            var room = new Room(saved.Name, RoomNames.Comparer.Equals(saved.Name, defaultName)) { Modes = saved.Modes & RoomModes.Settable, HistoryFrom = CheckedHistoryFrom(saved, lastId) };
            room.Topic = saved.Topic;
            room.TopicBy = saved.TopicBy;
            room.TopicTimeMs = saved.TopicTimeMs;
            room.Owners.UnionWith(saved.Owners);
            room.Invited.UnionWith(saved.Invited);
            foreach (var (member, joined) in saved.Members)
            {
                room.Members[member] = new RoomMembership(joined);
            }

            _rooms[room.Name] = room;
        }

        LoadPurges(loaded.DeletedRooms);
        foreach (string roomName in _historyFromRepaired)
        {
            _roomsChanged.Add(_rooms[roomName]);
        }

        foreach (var (roomName, message) in repairs)
        {
            s_log.Warn("Rooms: {Repair}", message);
            // Saved with the first batch, so the repair is made once, not at every start.
            _roomsChanged.Add(_rooms[roomName]);
        }

        // Who left the default room left that room, not whichever is the default now: after DefaultRoom was renamed
        // in Settings.xml (a new, empty default room) everyone is put in the new one at the next login. A file that
        // does not record which room it was (older versions) is judged by whether the current one is in it at all
        // (nobody can have left a room the file does not hold). They were kept out of it (a rooms audit, 2026-12-05).
        bool sameDefault = loaded.DefaultRoom is { } leftRoom
            ? RoomNames.Comparer.Equals(leftRoom, defaultName)
            : loaded.Rooms.Any(r => RoomNames.Comparer.Equals(r.Name, defaultName));
        if (sameDefault)
        {
            _leftDefault.UnionWith(loaded.LeftDefault);
        }
        else if (loaded.LeftDefault.Count > 0)
        {
            s_log.Info("Rooms: the default room is now '{Room}'; the {Count} user(s) who had left {Old} are put in it at their next login like everyone else",
                defaultName, loaded.LeftDefault.Count, loaded.DefaultRoom is { } old ? $"'{old}'" : "the earlier one");
        }
        _lastSaved = loaded;
        if (!_rooms.TryGetValue(defaultName, out var existing))
        {
            existing = new Room(defaultName, isDefault: true);
            _rooms[defaultName] = existing;
        }

        _default = existing;
        lock (_lock)
        {
            ForgetRemovedAccounts(accountsKnown);
        }
    }

    private ServerSettings Settings => _settings();

    public string DefaultRoomName => _default.Name;

    /// <summary>Rooms that exist, the default room included.</summary>
    public int RoomCount
    {
        get
        {
            lock (_lock)
            {
                return _rooms.Count;
            }
        }
    }

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static RoomInfoPacket InfoFor(Room room, string user, uint tag) => new RoomInfoPacket(
        tag, room.ModesFor(user), room.Topic, room.TopicBy, room.TopicTimeMs, room.Members.Count, room.Owners.ToArray()).FittedTo(room.Name);

    /// <summary>Queues RoomInfo and the member list of <paramref name="room"/> to one session (login, join). Under the lock.</summary>
    private static void SendRoomState(IRoomSession session, Room room, uint tag)
    {
        session.Send(ChatCommand.JoinRoom, room.Name, InfoFor(room, session.UserName, tag));
        foreach (var part in MemberParts(room))
        {
            session.Enqueue(part);
        }

        // Members who joined since the last batch, split like the rest so a join storm cannot exceed a frame, then
        // the part without More that ends the list.
        foreach (var part in Parts(ChatCommand.JoinRoom, room.Name, room.PendingJoined, more: true))
        {
            session.Enqueue(part);
        }

        session.Send(ChatCommand.JoinRoom, room.Name, new UserListPacket([], More: false));
    }

    private static ErrorPacket Error(ErrorCode code, string text, uint tag) => new(code, text, tag);
}
