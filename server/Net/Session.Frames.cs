using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

internal sealed partial class Session
{
    /// <summary>
    /// Pongs a client may have queued and unsent before its next Ping ends the session (PROTOCOL.md, "Keep-alive").
    /// Half the transport's priority lane (64), so the lane never overflows on pongs; a client that waits for each
    /// Pong, as the keep-alive rule has it, never has more than one.
    /// </summary>
    internal const int MaxQueuedPongs = 32;

    /// <summary>The state machine: what each state accepts is in docs/PROTOCOL.md. Runs on the read loop.</summary>
    public void OnFrame(ChatConnection connection, RawFrame frame)
    {
        if (!CommandTable.IsClientToServer(frame.Command, frame.Type, Version))
        {
            if (State == SessionState.Authenticated)
            {
                Fail(ErrorCode.ProtocolViolation, $"a client may not send {frame.Command} with {frame.Type}");
            }

            // Still NotAuthenticated before login (the code the state table gives), but the text names the real fault:
            // "Hello is not allowed before login" for a Hello carrying a ServerHello read as nonsense.
            Fail(ErrorCode.NotAuthenticated, $"a client may not send {frame.Command} with {frame.Type}, and nothing but Hello and login is allowed before login");
        }

        switch (frame.Command)
        {
            case ChatCommand.Ping:
                OnPing(connection, frame);
                return;
            case ChatCommand.Pong:
                return;
        }

        switch (State)
        {
            case SessionState.Connected:
                OnHello(frame);
                break;
            case SessionState.HelloDone:
                OnBeforeLogin(frame);
                break;
            case SessionState.VerifyingLogin:
                // Unreachable: while a login is checked, the gate holds every frame but Ping and Pong until it is
                // decided (CommandGate). Kept as the answer the old rule gave, should a path ever bypass the gate.
                Fail(ErrorCode.ProtocolViolation, $"{frame.Command} sent before the login answer; wait for it");
                break;
            case SessionState.Authenticated:
                OnAuthenticated(frame);
                break;
            case SessionState.Closed:
                // The read loop stops dispatching once the connection closes; a frame that races the close is dropped.
                break;
        }
    }

    /// <summary>
    /// Answers a Ping, unless the client already has <see cref="MaxQueuedPongs"/> pongs waiting to be written: then
    /// it is flooding (65 pings in one write did that), and it is told so and disconnected. Without this check the
    /// transport's priority lane overflowed and the session ended silently as a "slow consumer", which it was not.
    /// </summary>
    private void OnPing(ChatConnection connection, RawFrame frame)
    {
        var ping = frame.ReadPacket(_server.Limits);
        // Not counting the ServerHello, the lane's first frame: a client that pings the moment it connects still gets
        // its 32 Pongs (a spec audit got 31).
        int queued = connection.QueuedPriorityFramesBeyond(1);
        // Two limits, because either alone is racy or leaky: the bucket makes "33 pings in one write" fail the same
        // way however fast the writer happens to drain pongs meanwhile (counting unsent pongs alone let 37 or 57
        // through under load), and the queue check still catches a client that pings slowly but never reads.
        bool unanswered = queued >= MaxQueuedPongs;
        if (unanswered || !TryTakePingToken())
        {
            // The text names the limit the client broke: one that waits for each Pong can still ping too often.
            string text = unanswered
                ? $"ping flood: more than {MaxQueuedPongs} pings unanswered; wait for a Pong before sending another Ping"
                : $"ping flood: more than {MaxQueuedPongs} pings in a burst; after a burst, ping at most once a second";
            ChatServer.Log.Warn("{Session} disconnected for a ping flood: {Count} pongs were still waiting to be sent", this, queued);
            connection.Close(new DisconnectReason(DisconnectKind.Local, ErrorCode.RateLimited, "ping flood"),
                new ErrorPacket(ErrorCode.RateLimited, text), ChatCommand.ServerDisconnected);
            return;
        }

        connection.SendPriority(ChatCommand.Pong, ping);
    }

    private void OnHello(RawFrame frame)
    {
        if (frame.Command != ChatCommand.Hello)
        {
            if (frame.Command is ChatCommand.RequestLogin or ChatCommand.Register or ChatCommand.Logout)
            {
                Fail(ErrorCode.ProtocolViolation, $"send Hello before {frame.Command}");
            }

            Fail(ErrorCode.NotAuthenticated, $"{frame.Command} is not allowed before login");
        }

        var hello = (ClientHelloPacket)frame.ReadPacket(_server.Limits);
        if (hello.Version is < ProtocolLimits.MinVersion or > ProtocolLimits.MaxVersion)
        {
            Fail(ErrorCode.UnsupportedVersion, $"protocol version {hello.Version} is not supported; this server speaks {ProtocolLimits.MinVersion} to {ProtocolLimits.MaxVersion}");
        }

        // Fixed for the life of the session: it decides which commands the session may send and receive.
        Version = hello.Version;
        OneShot = (hello.Flags & ClientHelloMarks.OneShot) != 0;
        // Shown to other users by WhoIs: cleaned like an away text (one line, no terminal controls), which it was
        // not; an escape sequence in it reached every asker's screen (a spec audit, 2026-12-05).
        ClientName = Rooms.TopicText.Clean(hello.ClientName);

        TryMove(SessionState.Connected, SessionState.HelloDone);
    }

    private void OnBeforeLogin(RawFrame frame)
    {
        switch (frame.Command)
        {
            case ChatCommand.RequestLogin or ChatCommand.Register:
                BeginLogin((LoginPacket)frame.ReadPacket(_server.Limits), frame.Command == ChatCommand.Register);
                break;
            case ChatCommand.Logout:
                Connection.Close(DisconnectReason.Local("logged out before login"));
                break;
            case ChatCommand.Hello:
                Fail(ErrorCode.ProtocolViolation, "Hello was already exchanged");
                break;
            default:
                Fail(ErrorCode.NotAuthenticated, $"{frame.Command} is not allowed before login");
                break;
        }
    }

    private void OnAuthenticated(RawFrame frame)
    {
        switch (frame.Command)
        {
            case ChatCommand.PublicMessage:
                OnMessage(frame, isPrivate: false);
                break;
            case ChatCommand.PrivateMessage:
                OnMessage(frame, isPrivate: true);
                break;
            case ChatCommand.RequestUsers:
                if (TryTakeCommandToken(frame.Command, 0))
                {
                    _rooms.SendUserList(this);
                }

                break;
            case ChatCommand.Logout:
                ChatServer.Log.Info("{Session} logged out", this);
                // Leave the roster before the close is visible to the client, so an immediate re-login of the same
                // name is not refused with TooManySessions (the churn benchmark hit that race).
                _server.LeaveRoster(this);
                Connection.Close(DisconnectReason.Local("logged out"));
                break;
            default:
                OnRoomCommand(frame);
                break;
        }
    }

    private void OnMessage(RawFrame frame, bool isPrivate)
    {
        uint tag = ChatMessageFrame.ReadSendText(frame.Body, ushort.MaxValue, out var text, out var kind);
        // Every message spends a token, whatever its outcome: the server read and checked it either way. Refusals
        // that spent none (MessageTooLong) let one client make the server parse 5 GB of 64 KiB frames in 5 s
        // without ever being cut off.
        if (!TryTakeMessageToken(tag))
        {
            return;
        }

        // An unknown kind from a later version is shown as plain text rather than refused.
        kind = kind is ChatMessageKind.Action or ChatMessageKind.Notice ? kind : ChatMessageKind.Text;
        if (text.Length > _server.Settings.MaxMessageBytes)
        {
            Connection.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.MessageTooLong,
                $"the message is {text.Length} bytes; the limit is {_server.Settings.MaxMessageBytes}", tag));
            return;
        }

        if (!isPrivate)
        {
            _router.RoutePublic(this, frame.TargetName, tag, text, kind);
            return;
        }

        if (frame.Target.IsEmpty)
        {
            Fail(ErrorCode.ProtocolViolation, "a private message needs a target user");
        }

        _router.RoutePrivate(this, frame.TargetName, tag, text, kind);
    }
}
