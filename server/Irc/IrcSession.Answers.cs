using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// Answers to this session's own requests (Done and Error, which name only a tag) as the numerics, KICK echo or
/// FAIL lines the IRC command that asked expects.
/// </summary>
internal sealed partial class IrcSession
{
    private void OnDone(DonePacket done)
    {
        switch (Answered(done.Tag))
        {
            case { Command: "INVITE" } invite:
                var parts = invite.Target.Split(' ');
                Numeric("341", parts[0], parts[^1]);
                break;
            case { Command: "KICK" } kick:
                OnKickDone(kick.Target, kick.Detail);
                break;
            case { Command: "KICK-INVITED" } withdrawn:
                var names = withdrawn.Target.Split(' ');
                SendRaw(ServerPrefix, "NOTICE", Nick, $"{names[^1]} was invited to {names[0]} and is not any more (not a member, so not kicked)");
                break;
        }
    }

    /// <summary>
    /// A kick of a member the channel does not show (offline, or joined so recently that its JOIN is still in the
    /// presence batch the kick removed it from) is told to the kicker alone, as the KICK line it would have seen:
    /// nobody else sees that member, and without it the kicker heard nothing (a rooms audit, 2026-12-05, for the
    /// second case). A shown member's KICK comes to everyone with the presence batch (<see cref="MemberKicked"/>).
    /// </summary>
    private void OnKickDone(string target, string reason)
    {
        var parts = target.Split(' ');
        if (parts.Length == 2 && _kicksShown.FindIndex(k => UserNames.Comparer.Equals(k.Member, parts[1]) && RoomNames.Comparer.Equals(k.Room, parts[0][1..])) is var shown and >= 0)
        {
            // The presence batch showed it already (it can overtake the Done): the kicker saw it twice (an IRC audit, 2026-12-06).
            _kicksShown.RemoveAt(shown);
            return;
        }

        if (parts.Length == 2 && _channels.TryGetValue(parts[0][1..], out var channel) && (!Visible(parts[1]) || !channel.Members.Contains(parts[1])))
        {
            string member = channel.Members.TryGetValue(parts[1], out var stored) ? stored : parts[1];
            SendEvent(Prefix, "KICK", channel.Name, member, reason.Length > 0 ? reason : member);
        }
    }

    /// <summary>ChatSocket errors as the IRC numerics clients expect for the same failure.</summary>
    private void OnError(string target, ErrorPacket error)
    {
        var request = Answered(error.Tag);
        if (request is { Command: "NOTICE" })
        {
            // RFC 1459/2812: no automatic reply to a NOTICE, not even an error (bots answer notices and would loop).
            return;
        }

        // A KICK is tracked as "#channel nick": its errors are about the channel, but for a nick not in it (441).
        string about = request is { Command: "KICK" or "KICK-INVITED" } ? request.Value.Target.Split(' ')[0] : request?.Target.Split(' ')[^1] ?? (target.Length > 0 ? "#" + target : "*");
        string text = error.Text;
        switch (error.Code)
        {
            case ErrorCode.UnknownUser or ErrorCode.UserOffline:
                Numeric(IrcNumeric.NoSuchNick, about, text);
                break;
            case ErrorCode.NoSuchRoom:
                Numeric(IrcNumeric.NoSuchChannel, about, text);
                break;
            case ErrorCode.NotInRoom when request is { Command: "KICK" or "KICK-INVITED" } kick && _channels.ContainsKey(about[1..]):
                // We are on the channel, so it is the nick that is not (RFC 2812 ERR_USERNOTINCHANNEL); a nick that is
                // no one at all (no account, nobody online) is 401, as IRC servers answer it: 441 suggested a user who
                // merely is elsewhere (an IRC audit, 2026-12-07).
                string victim = kick.Target.Split(' ')[^1];
                if (_server.FindAnyOnline(victim) is null && _server.Users.Find(victim) is null)
                {
                    Numeric(IrcNumeric.NoSuchNick, victim, "No such nick/channel");
                }
                else
                {
                    Numeric(IrcNumeric.UserNotInChannel, victim, about, "They aren't on that channel");
                }

                break;
            case ErrorCode.NotInRoom:
                Numeric(request is { Command: "PRIVMSG" or "NOTICE" or "TAGMSG" } ? IrcNumeric.CannotSendToChan : IrcNumeric.NotOnChannel, about, text);
                break;
            case ErrorCode.InviteOnly:
                Numeric("473", about, "Cannot join channel (+i): " + text);
                break;
            case ErrorCode.NotRoomOwner:
                Numeric(IrcNumeric.ChanOPrivsNeeded, about, "You're not channel operator: " + text);
                break;
            case ErrorCode.InvalidRoomName:
                Numeric("479", about, "Illegal channel name: " + text);
                break;
            case ErrorCode.TooManyRooms:
                // One code for two limits: the user's (MaxRoomsPerUser) and the server's (MaxRooms), which the user
                // did not reach by joining anything.
                Numeric("405", about, (text.EndsWith(Rooms.RoomRegistry.ServerRoomLimit, StringComparison.Ordinal)
                    ? "Cannot create channel: the server has reached its room limit: " : "You have joined too many channels: ") + text);
                break;
            case ErrorCode.RoomFull:
                Numeric("471", about, "Cannot join channel (+l): " + text);
                break;
            case ErrorCode.RateLimited:
                Numeric(IrcNumeric.TryAgain, request?.Command ?? "*", text);
                break;
            case ErrorCode.MessageTooLong or ErrorCode.TopicTooLong:
                Numeric(IrcNumeric.InputTooLong, text);
                break;
            default:
                // StorageUnavailable, TooManyStored and the rest: IRCv3 standard replies say what failed.
                SendRaw(ServerPrefix, "FAIL", request?.Command ?? "*", error.Code.ToString().ToUpperInvariant(), text);
                break;
        }
    }
}
