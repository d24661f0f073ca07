using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

/// <summary>The v3 frames a server sends: room state, members, topics, away, receipts and the ends of replays.</summary>
public sealed partial class ChatClient
{
    /// <summary>We are in a room: the answer to our JoinRoom, or the server's own (Tag 0: at login, or another session of ours joined).</summary>
    public event Action<ChatClient, RoomJoin>? RoomJoined;

    /// <summary>A room's member list arrived (after its RoomInfo), complete.</summary>
    public event Action<ChatClient, string, IReadOnlyList<OnlineUser>>? MembersListed;

    /// <summary>Users joined (true) or left (false) a room we are in.</summary>
    public event Action<ChatClient, string, IReadOnlyList<OnlineUser>, bool>? MembersChanged;

    /// <summary>We are out of a room: we left (from any session), were kicked, or it was deleted.</summary>
    public event Action<ChatClient, string, RoomLeftPacket>? RoomLeft;

    public event Action<ChatClient, string, TopicPacket>? TopicChanged;

    /// <summary>A room's mode changed (SetRoomMode).</summary>
    public event Action<ChatClient, string, RoomInfoPacket>? RoomChanged;

    /// <summary>Someone sharing a room with us (or we, from any session) went away or came back (empty text).</summary>
    public event Action<ChatClient, AwayPacket>? AwayChanged;

    /// <summary>An invitation to the room in the first argument; the packet's Name is who invited us.</summary>
    public event Action<ChatClient, string, RoomRequestPacket>? Invited;

    /// <summary>A private message we sent while its recipient was offline has been delivered.</summary>
    public event Action<ChatClient, ReceiptPacket>? ReceiptReceived;

    /// <summary>The end of a join's replay (target = the room). History and Search answers complete their request instead.</summary>
    public event Action<ChatClient, string, HistoryEndPacket>? HistoryEnded;

    /// <summary>Handles a v3 frame; false when the pair is not one a server sends.</summary>
    private bool OnV3Frame(ChatConnection connection, RawFrame frame)
    {
        var limits = connection.Options.Limits;
        string target = frame.TargetName;
        switch (frame.Command, frame.Type)
        {
            case (ChatCommand.JoinRoom or ChatCommand.SetRoomMode, PacketType.RoomInfo):
                var info = (RoomInfoPacket)frame.ReadPacket(limits);
                if (frame.Command == ChatCommand.SetRoomMode)
                {
                    RoomChanged?.Invoke(this, target, info);
                    Answer(info.Tag, info);
                    return true;
                }

                var join = new RoomJoin(target, info);
                RoomJoined?.Invoke(this, join);
                Answer(info.Tag, info);
                return true;
            case (ChatCommand.JoinRoom, PacketType.UserList):
                OnMemberList(target, (UserListPacket)frame.ReadPacket(limits));
                return true;
            case (ChatCommand.MemberJoined or ChatCommand.MemberLeft, PacketType.UserList):
                OnMembersChanged(target, (UserListPacket)frame.ReadPacket(limits), frame.Command == ChatCommand.MemberJoined);
                return true;
            case (ChatCommand.LeaveRoom, PacketType.RoomLeft):
                var left = (RoomLeftPacket)frame.ReadPacket(limits);
                lock (_pendingLock)
                {
                    _members.Remove(target);
                }

                RoomLeft?.Invoke(this, target, left);
                Answer(left.Tag, left);
                return true;
            case (ChatCommand.SetTopic, PacketType.Topic):
                var topic = (TopicPacket)frame.ReadPacket(limits);
                TopicChanged?.Invoke(this, target, topic);
                Answer(topic.Tag, topic);
                return true;
            case (ChatCommand.Invite, PacketType.RoomRequest):
                Invited?.Invoke(this, target, (RoomRequestPacket)frame.ReadPacket(limits));
                return true;
            case (ChatCommand.SetAway, PacketType.Away):
                var away = (AwayPacket)frame.ReadPacket(limits);
                AwayChanged?.Invoke(this, away);
                // Our own Away (target empty) is the answer to SetAway, whether or not a Done follows.
                if (target.Length == 0 && string.Equals(away.UserName, UserName, StringComparison.OrdinalIgnoreCase))
                {
                    Answer(Interlocked.Exchange(ref _awayTag, 0), away);
                }

                return true;
            case (ChatCommand.WhoIs, PacketType.UserInfo):
                var user = (UserInfoPacket)frame.ReadPacket(limits);
                Answer(user.Tag, user);
                return true;
            case (ChatCommand.ListRooms, PacketType.RoomList):
                OnRoomList((RoomListPacket)frame.ReadPacket(limits));
                return true;
            case (ChatCommand.JoinRoom, PacketType.HistoryEnd):
                var replayed = (HistoryEndPacket)frame.ReadPacket(limits);
                ReplayDone(replayed.Tag);
                HistoryEnded?.Invoke(this, target, replayed);
                return true;
            case (ChatCommand.History or ChatCommand.Search, PacketType.HistoryEnd):
                var end = (HistoryEndPacket)frame.ReadPacket(limits);
                Answer(end.Tag, end);
                return true;
            case (ChatCommand.Receipt, PacketType.Receipt):
                ReceiptReceived?.Invoke(this, (ReceiptPacket)frame.ReadPacket(limits));
                return true;
            case (ChatCommand.Done, PacketType.Done):
                var done = (DonePacket)frame.ReadPacket(limits);
                Answer(done.Tag, done);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A replayed message (flag History) while a History or Search request is open belongs to its page: it is
    /// collected instead of being raised. A page is requested only once every join's replay has ended, so no join
    /// replay can be mistaken for it. True when collected.
    /// </summary>
    private bool CollectPage(ChatMessage message)
    {
        if ((message.Flags & MessageMarks.History) == 0)
        {
            return false;
        }

        lock (_pendingLock)
        {
            if (_pageTag == 0 || !_pageParts.TryGetValue(_pageTag, out var page))
            {
                return false;
            }

            page.Add(message);
            return true;
        }
    }

    private void OnMemberList(string room, UserListPacket part)
    {
        IReadOnlyList<OnlineUser> complete;
        lock (_pendingLock)
        {
            if (!_memberParts.TryGetValue(room, out var parts))
            {
                parts = new List<OnlineUser>();
                _memberParts[room] = parts;
            }

            parts.AddRange(part.Users);
            if (part.More)
            {
                return;
            }

            _memberParts.Remove(room);
            var members = parts.DistinctBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList();
            _members[room] = members;
            complete = [.. members];
        }

        MembersListed?.Invoke(this, room, complete);
    }

    private void OnMembersChanged(string room, UserListPacket batch, bool joined)
    {
        lock (_pendingLock)
        {
            if (!_members.TryGetValue(room, out var members))
            {
                members = new List<OnlineUser>();
                _members[room] = members;
            }

            foreach (var user in batch.Users)
            {
                members.RemoveAll(m => string.Equals(m.Name, user.Name, StringComparison.OrdinalIgnoreCase));
                if (joined)
                {
                    members.Add(user);
                }
            }
        }

        MembersChanged?.Invoke(this, room, batch.Users, joined);
    }

    private void OnRoomList(RoomListPacket part)
    {
        TaskCompletionSource<IReadOnlyList<RoomSummary>>? pending;
        IReadOnlyList<RoomSummary> complete;
        lock (_pendingLock)
        {
            _roomParts.AddRange(part.Rooms);
            if (part.More)
            {
                return;
            }

            complete = [.. _roomParts];
            _roomParts.Clear();
            pending = _pendingRooms;
            _pendingRooms = null;
        }

        pending?.TrySetResult(complete);
    }
}
