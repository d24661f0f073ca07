using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Net;

/// <summary>The v3 commands of a logged-in session: rooms, away, WhoIs and history (docs/design/protocol-v3.md).</summary>
internal sealed partial class Session
{
    private void OnRoomCommand(RawFrame frame)
    {
        // The version table already refused v3 commands from a v2 session.
        // Pattern matches, never casts: the pair table admits only these bodies for these commands today, but a
        // frame the table lets through with another body (RequestLogin after login once reached here as a Login and
        // ended the session as an internal error) must be the client's ProtocolViolation, not our crash.
        var packet = frame.ReadPacket(_server.Limits);
        if (packet is HistoryRequestPacket query && frame.Command is ChatCommand.History or ChatCommand.Search)
        {
            if (TryTakeCommandToken(frame.Command, query.Tag))
            {
                OnHistory(frame.Command, frame.TargetName, query);
            }

            return;
        }

        if (packet is not RoomRequestPacket request)
        {
            Fail(ErrorCode.ProtocolViolation, $"{frame.Command} is not allowed after login");
            return;
        }

        if (!TryTakeCommandToken(frame.Command, request.Tag))
        {
            return;
        }

        string room = frame.TargetName;
        switch (frame.Command)
        {
            case ChatCommand.ListRooms:
                _rooms.ListRooms(this);
                break;
            case ChatCommand.JoinRoom:
                OnJoin(room, request);
                break;
            case ChatCommand.LeaveRoom:
                _rooms.LeaveRoom(this, room, request.Tag, request.Text);
                break;
            case ChatCommand.SetTopic:
                _rooms.SetTopic(this, room, request.Text, request.Tag);
                break;
            case ChatCommand.Invite:
                _rooms.Invite(this, room, request.Name, request.Text, request.Tag);
                break;
            case ChatCommand.Kick:
                _rooms.Kick(this, room, request.Name, request.Text, request.Tag);
                break;
            case ChatCommand.DeleteRoom:
                _rooms.DeleteRoom(this, room, request.Tag);
                break;
            case ChatCommand.SetRoomMode:
                _rooms.SetRoomMode(this, room, request.Flags, request.Tag);
                break;
            case ChatCommand.SetAway:
                _rooms.SetAway(this, request.Text, request.Tag);
                break;
            case ChatCommand.WhoIs:
                _rooms.WhoIs(this, request.Name, request.Tag);
                break;
            default:
                Fail(ErrorCode.ProtocolViolation, $"{frame.Command} is not allowed after login");
                break;
        }
    }

    private void OnJoin(string room, RoomRequestPacket request)
    {
        if (_rooms.Join(this, room, request) is not var (joined, joinMark))
        {
            return;
        }

        // Live messages of the room wait until the replay is queued, so the replay always comes first.
        _ = ReplayAsync(joined, request, joinMark);
    }

    private async Task ReplayAsync(Rooms.Room room, RoomRequestPacket request, ulong joinMark)
    {
        try
        {
            await _history.ReplayOnJoin(this, room.Name, Rooms.ReplayStart.Of(request), joinMark, request.Tag).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ChatServer.Log.Error(ex, "{Session} replay of '{Room}' failed", this, room.Name);
        }
        finally
        {
            ReleaseRoom(room);
            _answers.Queued(this);
        }
    }

    private void OnHistory(ChatCommand command, string target, HistoryRequestPacket query)
    {
        var rooms = _rooms.RoomNamesOf(UserName!);
        if (command == ChatCommand.History && query.Scope == HistoryScope.Room && !rooms.Contains(target, Rooms.RoomNames.Comparer))
        {
            // As for every other room command: a room that does not exist is NoSuchRoom, one the user is not in NotInRoom.
            Connection.Send(ChatCommand.Error, target, _rooms.RoomExists(target)
                ? new ErrorPacket(ErrorCode.NotInRoom, $"you are not in '{target}'", query.Tag)
                : new ErrorPacket(ErrorCode.NoSuchRoom, $"there is no room '{target}'", query.Tag));
            return;
        }

        var answer = command == ChatCommand.Search
            ? _history.HandleSearch(this, query, rooms)
            : _history.HandleHistory(this, target, query, rooms);
        _ = answer.ContinueWith(
            t =>
            {
                _answers.Queued(this);
                if (t.IsFaulted)
                {
                    ChatServer.Log.Error(t.Exception, "{Session} {Command} failed", this, command);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
