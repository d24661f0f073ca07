using System.Globalization;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.History;

namespace LanTalk.Server.Rooms;

/// <summary>IRCv3 TAGMSG: client-only tags with no text (typing, reactions), passed live and never stored.</summary>
internal sealed partial class MessageRouter
{
    /// <summary>
    /// TAGMSG ids: a prefix from the start time, so an id from before a restart is never reused, and a counter.
    /// A letter first, so no TAGMSG id can be taken for a message id (CHATHISTORY takes those as references).
    /// </summary>
    private readonly string _tagIdPrefix = "t" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture) + "-";
    private long _tagCount;

    public void RouteTagsOnly(IRoomSession sender, string target, bool toRoom, uint tag, string clientTags)
    {
        IRoomSession[] audience;
        string shownTarget;
        if (toRoom)
        {
            if (registry.RoomForMessage(sender, target, tag, out var error) is not { } room)
            {
                sender.Send(ChatCommand.Error, target, error!);
                return;
            }

            // Id 0: a TAGMSG is not a message of the room, so it moves no room's last id.
            audience = registry.Recipients(room, 0);
            shownTarget = room.Name;
        }
        else
        {
            if (findAccount(target) is not { } recipient)
            {
                sender.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.UnknownUser, $"there is no user named '{target}'", tag));
                return;
            }

            // Nothing is kept for a user with no session: the tags mean something only now (someone is typing).
            var own = registry.SessionsOf(sender.UserName);
            audience = RoomNames.Comparer.Equals(recipient, sender.UserName) ? own : [.. registry.SessionsOf(recipient), .. own];
            shownTarget = recipient;
        }

        string msgid = _tagIdPrefix + Interlocked.Increment(ref _tagCount).ToString(CultureInfo.InvariantCulture);
        long timeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Behind the sender's messages still waiting for the store, so a reaction never arrives before what it is to.
        registry.SendPresenceOf(sender);
        sender.Sequence.Then(
            done => done(default),
            (AppendResult _) =>
            {
                foreach (var session in audience)
                {
                    session.DeliverTagsOnly(sender.UserName, shownTarget, toRoom, clientTags, msgid, timeMs, sender.SessionId);
                }
            });
    }
}
