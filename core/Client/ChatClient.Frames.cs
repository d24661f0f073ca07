using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

public sealed partial class ChatClient
{
    /// <summary>
    /// One frame, handled on the read loop: the time spent in here, the caller's event handlers included, is time the
    /// reader reads nothing, so the keep-alive must not count it as the server's silence (<see cref="KeepAliveTick(long)"/>).
    /// </summary>
    private void OnFrame(ChatConnection connection, RawFrame frame)
    {
        Volatile.Write(ref _handlingSinceTicks, Environment.TickCount64);
        try
        {
            HandleFrame(connection, frame);
        }
        finally
        {
            Volatile.Write(ref _handledTicks, Environment.TickCount64);
            Volatile.Write(ref _handlingSinceTicks, 0);
        }
    }

    private void HandleFrame(ChatConnection connection, RawFrame frame)
    {
        Observe(connection, frame);
        switch (frame.Command)
        {
            case ChatCommand.PublicMessage or ChatCommand.PrivateMessage when frame.Type == PacketType.ChatMessage:
                if (_options.DecodeMessages)
                {
                    OnChatMessage(frame, raise: true);
                }
                else if (AnswersARequest(frame))
                {
                    OnChatMessage(frame, raise: false);
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
                if (UserName is not null)
                {
                    // A login answer outside a login: taking it changed the session id mid-session, so the client no
                    // longer knew the echoes of its own messages and reported delivered ones as not confirmed (a
                    // hostile-server audit). PROTOCOL.md: a frame the state does not allow is a protocol violation.
                    throw ProtocolViolationException.Violation("a server does not send UserAuthenticated after the login");
                }

                _welcome = (WelcomePacket)frame.ReadPacket(connection.Options.Limits);
                break;
            case ChatCommand.RequestUsers when frame.Type == PacketType.UserList:
                OnUserList((UserListPacket)frame.ReadPacket(connection.Options.Limits));
                break;
            case ChatCommand.UserConnected or ChatCommand.UserDisconnected:
                OnPresence(frame.ReadPacket(connection.Options.Limits), joined: frame.Command == ChatCommand.UserConnected);
                break;
            case ChatCommand.ServerNotice:
                Raise(NoticeReceived, (NoticePacket)frame.ReadPacket(connection.Options.Limits));
                break;
            case ChatCommand.Error or ChatCommand.ServerDisconnected:
                OnError(connection, frame.Command, (ErrorPacket)frame.ReadPacket(connection.Options.Limits));
                break;
            default:
                if (_options.Version < 3 || !CommandTable.IsServerToClient(frame.Command, frame.Type, _options.Version))
                {
                    throw ProtocolViolationException.Violation($"a server does not send {frame.Command} with {frame.Type}");
                }

                OnRoomFrame(frame);
                break;
        }
    }

    /// <summary>Decodes a chat message: it confirms a send, joins an open page, or (<paramref name="raise"/>) is raised.</summary>
    private void OnChatMessage(RawFrame frame, bool raise)
    {
        var packet = (ChatMessagePacket)frame.ReadPacket(Connection.Options.Limits);
        string? to = frame.Command == ChatCommand.PrivateMessage ? frame.TargetName : null;
        if (to is not null && packet.Flags.HasFlag(MessageMarks.History) && UserName is { } self
            && !string.Equals(packet.From, self, StringComparison.OrdinalIgnoreCase))
        {
            // A replayed private message names the other user as its target (PROTOCOL.md, History), which for one
            // we received is its sender: the recipient was us. To always means the recipient.
            to = self;
        }

        var message = new ChatMessage(packet.MessageId, UnixMilliseconds.ToTime(packet.ServerTimeMs), packet.From, to, packet.Tag, packet.Text)
        {
            Room = to is null ? frame.TargetName : string.Empty,
            Kind = packet.Kind,
            Flags = packet.Flags,
            OriginSessionId = packet.OriginSessionId,
        };
        TaskCompletionSource<ChatMessage>? pending = null;
        // Another session of the same user may use the same tag: an echo is ours only when it names our session
        // (0: a server from before sessions, which had one session per user).
        bool ours = packet.OriginSessionId == 0 || packet.OriginSessionId == _welcome?.SessionId;
        if (packet.Tag != 0 && ours && !packet.Flags.HasFlag(MessageMarks.Mirror) && string.Equals(packet.From, UserName, StringComparison.OrdinalIgnoreCase))
        {
            lock (_pendingLock)
            {
                _pendingSends.TryGetValue(packet.Tag, out pending);
            }
        }

        pending?.TrySetResult(message);
        if (!CollectPage(message) && raise && FirstTimeRaised(message))
        {
            Raise(MessageReceived, message);
        }
    }

    private void OnUserList(UserListPacket part)
    {
        TaskCompletionSource<WelcomePacket>? login;
        TaskCompletionSource<IReadOnlyList<OnlineUser>>? users;
        IReadOnlyList<OnlineUser> complete;
        lock (_pendingLock)
        {
            // Gather the parts of a long list; only the last part (More unset) replaces the roster.
            _listParts.AddRange(part.Users);
            if (part.More)
            {
                return;
            }

            complete = _listParts.DistinctBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToArray();
            _listParts.Clear();
            _online.Clear();
            _online.AddRange(complete);
            users = _pendingUsers;
            _pendingUsers = null;
            login = null;
            if (_welcome is not null && UserName is null)
            {
                // The list right after UserAuthenticated completes the login, even one its caller gave up on: the
                // server logged us in, and a retry would be refused.
                UserName = _welcome.UserName;
                login = _pendingLogin;
                _pendingLogin = null;
            }
        }

        users?.TrySetResult(complete);
        login?.TrySetResult(_welcome!);
    }

    /// <summary>One presence change, or a batch of them (the server batches presence during login storms).</summary>
    private void OnPresence(IPacket packet, bool joined)
    {
        var changes = packet is UserListPacket batch
            ? batch.Users.Select(u => new PresencePacket(u.Name, u.ConnectedAtMs)).ToArray()
            : [(PresencePacket)packet];
        var news = new List<PresencePacket>(changes.Length);
        lock (_pendingLock)
        {
            foreach (var presence in changes)
            {
                // A batch can repeat what the login list already said (the server batches presence): only real
                // changes become events, so nobody hears of their own join or of a user twice.
                int known = _online.FindIndex(u => string.Equals(u.Name, presence.UserName, StringComparison.OrdinalIgnoreCase));
                if (joined && known >= 0 && _online[known].ConnectedAtMs == presence.TimeMs)
                {
                    continue;
                }

                if (!joined && known < 0)
                {
                    continue;
                }

                if (known >= 0)
                {
                    _online.RemoveAt(known);
                }

                if (joined)
                {
                    _online.Add(new OnlineUser(presence.UserName, presence.TimeMs));
                }

                news.Add(presence);
            }
        }

        var handler = joined ? UserJoined : UserLeft;
        foreach (var presence in news)
        {
            Raise(handler, presence, joined ? nameof(UserJoined) : nameof(UserLeft));
        }
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
            if (AwayBarrierPassed(error.Tag))
            {
                return;
            }

            if (error.Tag != 0 && _pendingRequests.Remove(error.Tag, out var request))
            {
                ReplyFault.Set(request.Completion, failure);
                return;
            }

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
            ReplyFault.Set(send, failure);
        }
        else if (login is not null)
        {
            ReplyFault.Set(login, failure);
        }
        else
        {
            Raise(ErrorReceived, error);
        }
    }
}
