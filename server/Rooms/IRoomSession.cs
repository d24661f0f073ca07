using LanTalk.Core.Protocol;

namespace LanTalk.Server.Rooms;

/// <summary>What the registry and router need of a session beyond <see cref="ISessionOutput"/>.</summary>
internal interface IRoomSession : ISessionOutput
{
    /// <summary>The registry's entry for this session's user, set at login under the registry lock.</summary>
    OnlineUserEntry? Entry { get; set; }

    /// <summary>The user name in UTF-8, cached once so relaying copies bytes instead of encoding.</summary>
    byte[] UserNameUtf8 { get; }

    /// <summary>Keeps this session's messages in order between the log and the fan-out.</summary>
    SendSequence Sequence { get; }

    /// <summary>An IRC guest (AllowGuests): no account, so nothing it does may be kept for later (offline messages).</summary>
    bool IsGuest => false;

    /// <summary>ClientHello's description of the client, for WhoIs.</summary>
    string ClientName { get; }

    /// <summary>When this session logged in (Unix ms).</summary>
    long LoginTimeMs { get; }

    /// <summary>Where the session connects from, as the operator console lists it (address:port, and the kind of client when not ChatSocket).</summary>
    string RemoteDescription { get; }

    /// <summary>
    /// Ends the session for a server-side reason (the operator's kick, the account's removal), telling the client
    /// <paramref name="text"/> the way its protocol closes a link: ServerDisconnected + Error(<paramref name="code"/>)
    /// on ChatSocket, an ERROR line on IRC. <paramref name="logReason"/> goes to the log.
    /// </summary>
    void CloseByServer(ErrorCode code, string text, string logReason);

    /// <summary>Moves a verified session to Authenticated as <paramref name="userName"/>; false when it closed meanwhile. Called under the registry lock.</summary>
    bool TryMarkAuthenticated(string userName);

    /// <summary>Marks the session closed (final); true when it had been authenticated. Called under the registry lock.</summary>
    bool MarkClosed();

    /// <summary>
    /// Delivers live message <paramref name="id"/> of <paramref name="room"/>, judged against this session's own
    /// current membership atomically with <see cref="HoldRoom"/>, <see cref="EnterRoom"/> and <see cref="ExitRoom"/>:
    /// dropped when the session is not in the room or the id is at or below its join mark (what it was sent of the
    /// room covers it), held while its replay is being queued, else queued. The router's recipient list is a snapshot
    /// that a leave and a new join can overtake, so this, not the snapshot, decides (docs/PROTOCOL.md, the join mark).
    /// True when the frame was queued or held; false when the membership dropped it.
    /// </summary>
    bool DeliverRoomFrame(Room room, ulong id, byte[] frame);

    /// <summary>Delivers a private message (or its echo or mirror), unless the stored ones are still being queued at login (then it waits behind them). False when the session is closing.</summary>
    bool DeliverPrivateFrame(byte[] frame);

    /// <summary>
    /// An IRCv3 TAGMSG from <paramref name="from"/> to the room or user <paramref name="target"/>: only a session that
    /// renders client tags (IRC with message-tags) shows it; for any other it is nothing (ChatSocket has no such frame).
    /// </summary>
    /// <param name="msgid">Its id for IRCv3 (not a message id: a TAGMSG is never stored).</param>
    /// <param name="origin">The sending session's id: that session shows it only as an echo (echo-message).</param>
    void DeliverTagsOnly(string from, string target, bool toRoom, string clientTags, string msgid, long timeMs, ulong origin)
    {
    }

    /// <summary>
    /// This session joined (or resynced) <paramref name="room"/> and gets a replay of its ids up to
    /// <paramref name="joinMark"/>: live frames at or below the mark are dropped from now, and the others held until
    /// <see cref="ReleaseRoom"/>, so the replay always comes first. Called by the registry under its lock.
    /// </summary>
    void HoldRoom(Room room, ulong joinMark);

    /// <summary>
    /// This session is in <paramref name="room"/> without a replay (its user joined from another session, or it logged
    /// in as a member): live frames with ids above <paramref name="joinMark"/> are delivered. Called by the registry under its lock.
    /// </summary>
    void EnterRoom(Room room, ulong joinMark);

    /// <summary>
    /// This session's user is no longer in <paramref name="room"/> (left, kicked, the room deleted, the account removed):
    /// live frames of it are dropped from now, held ones included. Called by the registry under its lock, before the
    /// RoomLeft goes out, so no live message of the room can follow it.
    /// </summary>
    void ExitRoom(Room room);

    /// <summary>Queues the frames held for <paramref name="room"/>, in order, and stops holding.</summary>
    void ReleaseRoom(Room room);

    /// <summary>
    /// <paramref name="member"/> was kicked from <paramref name="room"/> by <paramref name="by"/>; said to the members
    /// who stay by the presence batch, outside the registry lock and just before the MemberLeft that lists the member.
    /// IRC shows it as KICK (instead of the PART the MemberLeft would give); a ChatSocket client learns it from
    /// MemberLeft as before (the wire has no field for the kicker), so the default does nothing and the wire is unchanged.
    /// </summary>
    void MemberKicked(string room, string member, string by, string reason)
    {
    }

    /// <summary>
    /// What the user's peers are told when this was the user's last session: an IRC client's own QUIT reason (or the
    /// server's, such as a ping timeout); empty when there is none to tell (a ChatSocket Logout carries no reason).
    /// </summary>
    string QuitReason => string.Empty;

    /// <summary>
    /// Users going offline in this presence batch with a <see cref="QuitReason"/>, said to every session by the batch
    /// outside the registry lock, just before its UserDisconnected frames. IRC shows the reason in its QUIT line; the
    /// ChatSocket wire has no field for it, so the default does nothing and the wire is unchanged.
    /// </summary>
    void UsersQuitting(IReadOnlyDictionary<string, string> reasons)
    {
    }

    /// <summary>
    /// <paramref name="member"/> left <paramref name="room"/>, which this session stays in, saying why: told just
    /// before the MemberLeft that reports it. IRC shows the reason in its PART line; the ChatSocket wire has no field
    /// for it in MemberLeft, so the default does nothing and the wire is unchanged.
    /// </summary>
    void MemberParting(string room, string member, string reason)
    {
    }

    /// <summary>
    /// The RoomInfo queued next for <paramref name="room"/> answers a mode change by the owner <paramref name="by"/>:
    /// told just before it, under the registry lock. IRC shows the change as a MODE line from that owner (it came from
    /// the server, and irssi credited the server); the ChatSocket wire has no field for it, so the default does nothing.
    /// </summary>
    void ModeChangedBy(string room, string by)
    {
    }
}
