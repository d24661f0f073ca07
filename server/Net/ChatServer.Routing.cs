using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    /// <summary>An operator notice to every logged-in session: serialized once, written to many.</summary>
    public void Notice(string text)
    {
        var frame = FrameCodec.Serialize(ChatCommand.ServerNotice, string.Empty, new NoticePacket(NowMs, text));
        var sessions = Rooms.AllSessions();
        foreach (var session in sessions)
        {
            session.Enqueue(frame);
        }

        s_log.Info("Operator notice sent to {Count} sessions", sessions.Length);
    }
}
