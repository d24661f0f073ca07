using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Connection;

/// <summary>The v3 requests, on whichever connection is current. Each throws <see cref="ChatClientException"/> while reconnecting.</summary>
internal sealed partial class ChatSession
{
    /// <summary>Catches up on the rooms the server lists at each login; null in modes without rooms ('lantalk send').</summary>
    public RoomSync? Sync { get; set; }

    /// <summary>Catches up on private messages after each reconnect; null in modes without rooms.</summary>
    public Chat.PrivateCatchUp? PrivateSync { get; set; }

    // Told the server's clock at each login (Welcome), so the lines it dates itself agree with the server's times.
    private Chat.ChatPrinter? _serverClock;

    /// <summary>Sets the user away again after a reconnect that ended it; null in modes without rooms.</summary>
    public Chat.AwayKeeper? AwaySync { get; set; }

    /// <summary>
    /// What the chat modes keep in step with the server across reconnects, all shown by <paramref name="printer"/>: the
    /// rooms and their catch-up, the private catch-up, and the away status. One place, for the app and its tests.
    /// </summary>
    public void FollowWith(Chat.ChatPrinter printer, Action<string> report)
    {
        _serverClock = printer;
        Sync = new RoomSync(printer.Rooms, printer.Markers, report) { Notice = text => printer.OnStatus(text, StatusLevel.Info) };
        PrivateSync = new Chat.PrivateCatchUp(printer, report);
        AwaySync = new Chat.AwayKeeper(printer, () => UserName, report);
    }

    /// <summary>
    /// How long a command waits for a replay to be shown before it runs anyway: a replay that never ends (a server
    /// that does not answer a join) must not freeze the keyboard or a script's pipe; late, the command may at worst
    /// page from the newest message, as it did before it waited at all.
    /// </summary>
    private static readonly TimeSpan ShownPatience = TimeSpan.FromSeconds(15);

    /// <summary>Whether this login's rooms are all known (<see cref="RoomSync.IsListed"/>): a room not among them is not one the user is in.</summary>
    public bool RoomsKnown => Sync?.IsListed ?? false;

    /// <summary>Completes once the login's rooms are known and their history shown (<see cref="RoomSync.LoginShownAsync"/>), or after <see cref="ShownPatience"/>; at once in modes without rooms.</summary>
    public Task LoginShownAsync(CancellationToken cancellationToken) =>
        Patiently(Sync?.LoginShownAsync(cancellationToken), cancellationToken);

    /// <summary>Completes once <paramref name="room"/>'s replay is shown (<see cref="RoomSync.RoomShownAsync"/>), or after <see cref="ShownPatience"/>; at once in modes without rooms.</summary>
    public Task RoomShownAsync(string room, CancellationToken cancellationToken) =>
        Patiently(Sync?.RoomShownAsync(room, cancellationToken), cancellationToken);

    private static async Task Patiently(Task? shown, CancellationToken cancellationToken)
    {
        if (shown is null)
        {
            return;
        }

        try
        {
            await shown.WaitAsync(ShownPatience, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Run the command anyway (ShownPatience).
        }
    }

    /// <summary>True when the current connection speaks v3 (rooms, sessions, history).</summary>
    public bool IsV3 => Current is { IsV3: true };

    /// <summary>Joins (or resyncs) a room; completes after its replay ended, with the replay's HistoryEnd.</summary>
    public Task<RoomJoin> JoinRoomAsync(string room, ulong sinceId, CancellationToken cancellationToken, RoomModes createModes = RoomModes.None) =>
        ConnectedClient().JoinRoomWithReplayAsync(room, createModes, sinceId, cancellationToken);

    /// <summary>Catches up on a room from <paramref name="sinceId"/> (0: a room this session saw empty); completes after its replay ended.</summary>
    public Task<RoomJoin> CatchUpRoomAsync(string room, ulong sinceId, CancellationToken cancellationToken, RoomModes createModes = RoomModes.None) =>
        ConnectedClient().CatchUpRoomAsync(room, sinceId, createModes, cancellationToken);

    /// <summary>Sets the room's settable modes (owners); completes with the RoomInfo that every member session gets.</summary>
    public Task<RoomInfoPacket> SetRoomModeAsync(string room, RoomModes modes, CancellationToken cancellationToken) =>
        ConnectedClient().SetRoomModeAsync(room, modes, cancellationToken);

    /// <summary>Deletes the room (owners); completes once the server saved the deletion (its Done).</summary>
    public Task DeleteRoomAsync(string room, CancellationToken cancellationToken) =>
        ConnectedClient().DeleteRoomAsync(room, cancellationToken);

    /// <summary>Leaves a room; <paramref name="reason"/> reaches the members who stay (empty for none).</summary>
    public Task<RoomLeftPacket> LeaveRoomAsync(string room, string reason, CancellationToken cancellationToken) =>
        ConnectedClient().LeaveRoomAsync(room, reason, cancellationToken);

    public Task<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken) =>
        ConnectedClient().ListRoomsAsync(cancellationToken);

    public Task<TopicPacket> SetTopicAsync(string room, string text, CancellationToken cancellationToken) =>
        ConnectedClient().SetTopicAsync(room, text, cancellationToken);

    public Task InviteAsync(string room, string user, CancellationToken cancellationToken) =>
        ConnectedClient().InviteAsync(room, user, cancellationToken: cancellationToken);

    public Task KickAsync(string room, string user, string reason, CancellationToken cancellationToken) =>
        ConnectedClient().KickAsync(room, user, reason, cancellationToken);

    public Task<AwayPacket> SetAwayAsync(string text, CancellationToken cancellationToken) =>
        ConnectedClient().SetAwayAsync(text, cancellationToken);

    public Task<UserInfoPacket> WhoIsAsync(string user, CancellationToken cancellationToken) =>
        ConnectedClient().WhoIsAsync(user, cancellationToken);

    public Task<HistoryPage> HistoryAsync(string room, ulong beforeId, int limit, CancellationToken cancellationToken) =>
        ConnectedClient().HistoryAsync(HistoryScope.Room, room, beforeId, (ushort)limit, cancellationToken);

    /// <summary>A page of <paramref name="room"/>: after <paramref name="afterId"/> (forwards) when it is not 0, else the newest below <paramref name="beforeId"/>.</summary>
    public Task<HistoryPage> HistoryAsync(string room, ulong afterId, ulong beforeId, int limit, CancellationToken cancellationToken) =>
        ConnectedClient().HistoryAsync(HistoryScope.Room, room, afterId, beforeId, (ushort)limit, cancellationToken);

    public Task<HistoryPage> SearchAsync(string text, CancellationToken cancellationToken) =>
        SearchAsync(text, beforeId: 0, cancellationToken);

    /// <summary>The matches older than <paramref name="beforeId"/> (0 = the newest).</summary>
    public Task<HistoryPage> SearchAsync(string text, ulong beforeId, CancellationToken cancellationToken) =>
        ConnectedClient().SearchAsync(text, beforeId, cancellationToken: cancellationToken);

    /// <summary>The owners of <paramref name="room"/> as its last RoomInfo named them; empty when unknown.</summary>
    public IReadOnlyList<string> Owners(string room) =>
        Current?.Rooms.FirstOrDefault(r => string.Equals(r.Name, room, StringComparison.OrdinalIgnoreCase))?.Info.Owners ?? [];

    /// <summary>The room's modes as its last RoomInfo gave them (YouOwn and Default included); null when not in it.</summary>
    public RoomModes? Modes(string room) =>
        Current?.Rooms.FirstOrDefault(r => string.Equals(r.Name, room, StringComparison.OrdinalIgnoreCase))?.Info.Flags;

    /// <summary>The members of a room, as the current connection knows them.</summary>
    public IReadOnlyList<OnlineUser> Members(string room) =>
        Current?.Rooms.FirstOrDefault(r => string.Equals(r.Name, room, StringComparison.OrdinalIgnoreCase))?.Members ?? [];
}
