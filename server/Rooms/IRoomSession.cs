namespace LanTalk.Server.Rooms;

/// <summary>What the registry and router need of a session beyond <see cref="ISessionOutput"/>.</summary>
internal interface IRoomSession : ISessionOutput
{
    /// <summary>The registry's entry for this session's user, set at login under the registry lock.</summary>
    OnlineUserEntry? Entry { get; set; }

    /// <summary>True once the connection started closing: it may no longer enter the roster.</summary>
    bool IsClosing { get; }

    /// <summary>The user name in UTF-8, cached once so relaying copies bytes instead of encoding.</summary>
    byte[] UserNameUtf8 { get; }

    /// <summary>Keeps this session's messages in order between the log and the fan-out.</summary>
    SendSequence Sequence { get; }

    /// <summary>ClientHello's description of the client, for WhoIs.</summary>
    string ClientName { get; }

    /// <summary>When this session logged in (Unix ms).</summary>
    long LoginTimeMs { get; }

    /// <summary>Moves a verified session to Authenticated as <paramref name="userName"/>; false when it closed meanwhile. Called under the registry lock.</summary>
    bool TryMarkAuthenticated(string userName);

    /// <summary>Marks the session closed (final); true when it had been authenticated. Called under the registry lock.</summary>
    bool MarkClosed();

    /// <summary>Delivers a room message, unless a replay of that room to this session is still being queued (then it waits behind it).</summary>
    void DeliverRoomFrame(Room room, byte[] frame);

    /// <summary>Delivers a private message (or its echo or mirror), unless the stored ones are still being queued at login (then it waits behind them). False when the session is closing.</summary>
    bool DeliverPrivateFrame(byte[] frame);

    /// <summary>Holds back live frames of <paramref name="room"/> until <see cref="ReleaseRoom"/>, so a join's replay comes first.</summary>
    void HoldRoom(Room room);

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
}
