using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    /// <summary>
    /// One timer for all sessions, once a second: drops sockets that did not log in within the login timeout and
    /// clients silent past the idle timeout. One sweep costs O(connections) but no per-connection timers.
    /// </summary>
    private void SweepTimeouts()
    {
        long now = Environment.TickCount64;
        long loginLimit = Settings.LoginTimeoutSeconds * 1000L;
        long idleLimit = Settings.IdleTimeoutSeconds * 1000L;
        foreach (var session in _sessions.Values)
        {
            var connection = session.Connection;
            if (connection.IsClosing)
            {
                continue;
            }

            if (!session.WasAuthenticated && now - session.ConnectedTicks > loginLimit)
            {
                Drop(session, ErrorCode.LoginTimeout, $"no login within {Settings.LoginTimeoutSeconds} s");
            }
            else if (now - connection.LastReceivedTicks > idleLimit)
            {
                Drop(session, ErrorCode.IdleTimeout, $"silent for more than {Settings.IdleTimeoutSeconds} s");
            }
        }
    }

    private static void Drop(Session session, ErrorCode code, string text)
    {
        s_log.Info("{Session} dropped: {Reason}", session, text);
        session.Connection.Close(new DisconnectReason(DisconnectKind.Timeout, code, text), new ErrorPacket(code, text));
    }
}
