using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Connection;

/// <summary>
/// What a <see cref="ChatSession"/> reports to the user interface. Called from network threads; implementations
/// must be thread-safe and quick.
/// </summary>
internal interface ISessionListener
{
    void OnMessage(ChatMessage message);

    void OnPresence(PresencePacket presence, bool joined);

    void OnNotice(NoticePacket notice);

    /// <summary>An error from the server that answers no request and does not end the session.</summary>
    void OnServerError(ErrorPacket error);

    /// <summary>Connection state changes: lost, reconnecting, giving up.</summary>
    void OnStatus(string text, StatusLevel level);

    /// <summary>The connection dropped and a reconnect is starting; <paramref name="report"/> says why.</summary>
    void OnConnectionLost(FailureReport report);

    /// <summary>Logged in again; <paramref name="notBackYet"/>: who was online when the connection was lost and is not yet.</summary>
    void OnReconnected(WelcomePacket welcome, IReadOnlyList<OnlineUser> online, IReadOnlyList<string> notBackYet);

    /// <summary>A user the reconnect named "not back yet" came back soon after it (a server restart, most often).</summary>
    void OnBack(PresencePacket presence)
    {
    }

    /// <summary>v3: a user sharing a room with us came online (first session) or went offline (last session).</summary>
    void OnOnline(PresencePacket presence, bool online)
    {
    }

    /// <summary>
    /// v3: a user left our view without going offline: we (or they) left the last room we shared, so the server
    /// stops telling us about them (docs/PROTOCOL.md, "Presence follows shared rooms").
    /// </summary>
    void OnOutOfSight(PresencePacket presence)
    {
    }

    /// <summary>v3: we are in a room (our join's answer, or Tag 0: the server's own, at login or from another session of ours).</summary>
    void OnRoomJoined(RoomState room)
    {
    }

    /// <summary>v3: a room we are in has new modes or owners (an owner's /mode, or ownership passed on).</summary>
    void OnRoomChanged(RoomState room)
    {
    }

    /// <summary>v3: users joined (true) or left a room we are in; <paramref name="why"/>: each leave's reason, in order, when the server gave them.</summary>
    void OnMembersChanged(string room, IReadOnlyList<OnlineUser> users, bool joined, IReadOnlyList<MemberDeparture>? why)
    {
    }

    /// <summary>v3: we are out of a room (left from any session, kicked, or the room was deleted).</summary>
    void OnRoomLeft(string room, RoomLeftPacket left)
    {
    }

    void OnTopic(string room, TopicPacket topic)
    {
    }

    void OnAway(AwayPacket away, bool reply)
    {
    }

    /// <summary>v3: an invitation to <paramref name="room"/> from <c>invitation.Name</c>.</summary>
    void OnInvited(string room, RoomRequestPacket invitation)
    {
    }

    /// <summary>v3: a private message stored for an offline user has been delivered.</summary>
    void OnReceipt(ReceiptPacket receipt)
    {
    }

    /// <summary>v3: the end of a join's replay of <paramref name="room"/>.</summary>
    void OnHistoryEnded(string room, HistoryEndPacket end)
    {
    }

    /// <summary>While waiting to reconnect, about once a second: the time left before try <paramref name="attempt"/> (zero: trying now).</summary>
    void OnReconnectCountdown(TimeSpan remaining, int attempt)
    {
    }
}
