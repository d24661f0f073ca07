using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

public sealed partial class ChatClient
{
    private void OnFrame(ChatConnection connection, RawFrame frame)
    {
        FrameObserver?.Invoke(connection, frame);
        switch (frame.Command)
        {
            case ChatCommand.PublicMessage or ChatCommand.PrivateMessage when frame.Type == PacketType.ChatMessage:
                if (_options.DecodeMessages)
                {
                    OnChatMessage(frame);
                }

                break;
            case ChatCommand.Ping:
                connection.SendPriority(ChatCommand.Pong, frame.ReadPacket(connection.Options.Limits));
                break;
            case ChatCommand.Pong:
                break;
            case ChatCommand.Hello when frame.Type == PacketType.ServerHello:
                _hello.TrySetResult((ServerHelloPacket)frame.ReadPacket(ProtocolLimits.Default));
                break;
            case ChatCommand.UserAuthenticated:
                _welcome = (WelcomePacket)frame.ReadPacket(connection.Options.Limits);
                break;
            case ChatCommand.RequestUsers when frame.Type == PacketType.UserList:
                OnUserList((UserListPacket)frame.ReadPacket(connection.Options.Limits));
                break;
            case ChatCommand.UserConnected:
                OnPresence((PresencePacket)frame.ReadPacket(connection.Options.Limits), joined: true);
                break;
            case ChatCommand.UserDisconnected:
                OnPresence((PresencePacket)frame.ReadPacket(connection.Options.Limits), joined: false);
                break;
            case ChatCommand.ServerNotice:
                NoticeReceived?.Invoke(this, (NoticePacket)frame.ReadPacket(connection.Options.Limits));
                break;
            case ChatCommand.Error or ChatCommand.ServerDisconnected:
                OnError(connection, frame.Command, (ErrorPacket)frame.ReadPacket(connection.Options.Limits));
                break;
            default:
                throw ProtocolViolationException.Violation($"a server does not send {frame.Command} with {frame.Type}");
        }
    }

    private void OnChatMessage(RawFrame frame)
    {
        var packet = (ChatMessagePacket)frame.ReadPacket(Connection.Options.Limits);
        string? to = frame.Command == ChatCommand.PrivateMessage ? frame.TargetName : null;
        var message = new ChatMessage(packet.MessageId, DateTimeOffset.FromUnixTimeMilliseconds(packet.ServerTimeMs), packet.From, to, packet.Tag, packet.Text);
        TaskCompletionSource<ChatMessage>? pending = null;
        if (packet.Tag != 0 && string.Equals(packet.From, UserName, StringComparison.OrdinalIgnoreCase))
        {
            lock (_pendingLock)
            {
                _pendingSends.TryGetValue(packet.Tag, out pending);
            }
        }

        pending?.TrySetResult(message);
        MessageReceived?.Invoke(this, message);
    }

    private void OnUserList(UserListPacket list)
    {
        TaskCompletionSource<WelcomePacket>? login;
        TaskCompletionSource<IReadOnlyList<OnlineUser>>? users;
        lock (_pendingLock)
        {
            _online.Clear();
            _online.AddRange(list.Users);
            users = _pendingUsers;
            _pendingUsers = null;
            login = _welcome is null ? null : _pendingLogin;
            if (login is not null)
            {
                // The list right after UserAuthenticated completes the login.
                UserName = _welcome!.UserName;
                _pendingLogin = null;
            }
        }

        users?.TrySetResult(list.Users);
        login?.TrySetResult(_welcome!);
    }

    private void OnPresence(PresencePacket presence, bool joined)
    {
        lock (_pendingLock)
        {
            _online.RemoveAll(u => string.Equals(u.Name, presence.UserName, StringComparison.OrdinalIgnoreCase));
            if (joined)
            {
                _online.Add(new OnlineUser(presence.UserName, presence.TimeMs));
            }
        }

        (joined ? UserJoined : UserLeft)?.Invoke(this, presence);
    }

    private void OnError(ChatConnection connection, ChatCommand command, ErrorPacket error)
    {
        if (command == ChatCommand.ServerDisconnected || error.ClosesConnection)
        {
            // Record the server's reason and close from our side; pending requests fail with it.
            connection.Close(new DisconnectReason(DisconnectKind.RemoteError, error.Code, error.Text));
            return;
        }

        var failure = new ChatClientException(ChatClientException.FailureFor(error.Code), error.Text, error.Code);
        TaskCompletionSource<ChatMessage>? send = null;
        TaskCompletionSource<WelcomePacket>? login = null;
        lock (_pendingLock)
        {
            if (error.Tag != 0)
            {
                _pendingSends.TryGetValue(error.Tag, out send);
            }
            else if (_pendingLogin is not null)
            {
                login = _pendingLogin;
                _pendingLogin = null;
                _welcome = null;
            }
        }

        if (send is not null)
        {
            send.TrySetException(failure);
        }
        else if (login is not null)
        {
            login.TrySetException(failure);
        }
        else
        {
            ErrorReceived?.Invoke(this, error);
        }
    }
}
