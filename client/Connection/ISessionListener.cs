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

    void OnReconnected(WelcomePacket welcome, IReadOnlyList<OnlineUser> online);

    /// <summary>While waiting to reconnect, about once a second: the time left before try <paramref name="attempt"/> (zero: trying now).</summary>
    void OnReconnectCountdown(TimeSpan remaining, int attempt)
    {
    }
}
