using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Support;

/// <summary>Passes each event to several listeners in order: the client's printer first, then a recorder to wait on.</summary>
internal sealed class TeeListener(params ISessionListener[] listeners) : ISessionListener
{
    public void OnMessage(ChatMessage message) => Array.ForEach(listeners, l => l.OnMessage(message));

    public void OnPresence(PresencePacket presence, bool joined) => Array.ForEach(listeners, l => l.OnPresence(presence, joined));

    public void OnNotice(NoticePacket notice) => Array.ForEach(listeners, l => l.OnNotice(notice));

    public void OnServerError(ErrorPacket error) => Array.ForEach(listeners, l => l.OnServerError(error));

    public void OnStatus(string text, StatusLevel level) => Array.ForEach(listeners, l => l.OnStatus(text, level));

    public void OnConnectionLost(FailureReport report) => Array.ForEach(listeners, l => l.OnConnectionLost(report));

    public void OnReconnected(WelcomePacket welcome, IReadOnlyList<OnlineUser> online, IReadOnlyList<string> notBackYet) => Array.ForEach(listeners, l => l.OnReconnected(welcome, online, notBackYet));
}
