using LanTalk.Core.Packets;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// Room membership as IRC shows it: JOIN, PART, KICK, owner modes, NAMES and TOPIC, translated from the
/// registry's RoomInfo, member lists and events. Runs under the delivery lock, like the rest of the frames.
/// </summary>
internal sealed partial class IrcSession
{
    private void OnRoomInfo(string room, RoomInfoPacket info, bool joined)
    {
        bool isNew = !_channels.TryGetValue(room, out var channel);
        if (isNew && !joined)
        {
            return;
        }

        if (channel is null)
        {
            channel = new IrcChannel(room, _server.IrcNames);
            _channels[room] = channel;
            _lastShownRoom = null;
            SendEvent(Prefix, "JOIN", channel.Name);
        }

        var before = channel.ModeString;
        string[] ownersBefore = [.. channel.Owners];
        string? setBy = channel.ModeSetBy;
        channel.ModeSetBy = null;
        channel.Modes = info.Flags;
        channel.Topic = info.Topic;
        channel.TopicBy = info.TopicBy;
        channel.TopicTimeMs = info.TopicTimeMs;
        channel.Owners.Clear();
        channel.Owners.UnionWith(info.Owners);
        if (isNew && channel.Topic.Length > 0)
        {
            SendTopicOf(channel);
        }
        else if (!isNew && !joined && before != channel.ModeString)
        {
            SendEvent(setBy is null ? ServerPrefix : UserPrefix(setBy), "MODE", channel.Name, ModeChange(before, channel.ModeString));
        }

        // Owners change without a command an IRC client would see (succession when the last owner goes): the client
        // keeps its own list of ops from NAMES and MODE, so it hears the difference as MODE lines, as from ChanServ.
        if (channel.Listed)
        {
            foreach (var owner in channel.Owners.Where(o => !ownersBefore.Contains(o, UserNames.Comparer)))
            {
                SendOwnerMode(channel, owner, add: true);
            }

            foreach (var owner in ownersBefore.Where(o => !channel.Owners.Contains(o)))
            {
                SendOwnerMode(channel, owner, add: false);
            }
        }
    }

    /// <summary><c>:server MODE #name +o nick</c> (or -o) for a member the client sees; others get theirs with their JOIN.</summary>
    private void SendOwnerMode(IrcChannel channel, string member, bool add)
    {
        if (channel.Members.Contains(member) && Visible(member))
        {
            SendEvent(ServerPrefix, "MODE", channel.Name, add ? "+o" : "-o", member);
        }
    }

    /// <summary>A JOIN of <paramref name="member"/>, and +o after it when the member owns the room (NAMES showed it as @).</summary>
    private void SendJoinOf(IrcChannel channel, string member)
    {
        SendEvent(UserPrefix(member), "JOIN", channel.Name);
        if (channel.Owners.Contains(member))
        {
            SendEvent(ServerPrefix, "MODE", channel.Name, "+o", member);
        }

        if (_awayTexts.TryGetValue(member, out string? away))
        {
            // away-notify: "when a user joins and has an away message set" (IRCv3).
            DeliverAway(member, away);
        }
    }

    private static string ModeChange(string before, string after)
    {
        var added = after.TrimStart('+').Except(before.TrimStart('+')).ToArray();
        var removed = before.TrimStart('+').Except(after.TrimStart('+')).ToArray();
        return (added.Length > 0 ? "+" + new string(added) : string.Empty) + (removed.Length > 0 ? "-" + new string(removed) : string.Empty);
    }

    private void OnMemberList(string room, UserListPacket members)
    {
        if (!_channels.TryGetValue(room, out var channel))
        {
            return;
        }

        if (!channel.Listed && channel.Members.Count == 0)
        {
            channel.Members.Add(Nick);
        }

        foreach (var user in members.Users)
        {
            channel.Members.Add(user.Name);
        }

        if (!members.More && !channel.Listed)
        {
            channel.Listed = true;
            SendNamesOf(channel);
        }
    }

    private void OnMembers(string room, UserListPacket users, bool join)
    {
        if (!_channels.TryGetValue(room, out var channel))
        {
            return;
        }

        foreach (var user in users.Users)
        {
            if (IsMe(user.Name))
            {
                continue;
            }

            string? reason = null;
            if (!join)
            {
                // The registry drops a leaver's ownership; one who comes back is an ordinary member.
                channel.Owners.Remove(user.Name);
                channel.PartReasons.Remove(user.Name, out reason);
            }

            if ((join ? channel.Members.Add(user.Name) : channel.Members.Remove(user.Name)) && Visible(user.Name))
            {
                if (join)
                {
                    SendJoinOf(channel, user.Name);
                }
                else if (reason is not null)
                {
                    SendEvent(UserPrefix(user.Name), "PART", channel.Name, reason);
                }
                else
                {
                    SendEvent(UserPrefix(user.Name), "PART", channel.Name);
                }
            }
        }
    }

    /// <summary>An owner's mode change: its RoomInfo comes next, and its MODE line names that owner as the source.</summary>
    public void ModeChangedBy(string room, string by)
    {
        lock (_deliveryLock)
        {
            if (_channels.TryGetValue(room, out var channel))
            {
                channel.ModeSetBy = by;
            }
        }
    }

    /// <summary>A member of a channel this session stays in is leaving it with a reason: kept for the PART line of its MemberLeft.</summary>
    public void MemberParting(string room, string member, string reason)
    {
        lock (_deliveryLock)
        {
            if (_channels.TryGetValue(room, out var channel) && channel.Members.Contains(member))
            {
                channel.PartReasons[member] = reason;
            }
        }
    }

    /// <summary>
    /// Another member was kicked from a room this session stays in (the presence batch tells us just before its
    /// MemberLeft, outside the registry lock): KICK to everyone in the channel, the kicker included; the member is
    /// dropped from the channel here, so the MemberLeft that follows shows no PART as well.
    /// </summary>
    public void MemberKicked(string room, string member, string by, string reason)
    {
        lock (_deliveryLock)
        {
            if (IsClosing || !_channels.TryGetValue(room, out var channel) || !channel.Members.Remove(member))
            {
                return;
            }

            channel.Owners.Remove(member);
            if (!Visible(member))
            {
                return;
            }

            SendEvent(UserPrefix(by), "KICK", channel.Name, member, reason.Length > 0 ? reason : member);
            if (IsMe(by))
            {
                // The kick's Done may come after this batch: it must not show the KICK again (OnKickDone).
                if (_kicksShown.Count >= MaxKicksShown)
                {
                    _kicksShown.RemoveAt(0);
                }

                _kicksShown.Add((room, member));
            }
        }
    }

    private void OnRoomLeft(string room, RoomLeftPacket left)
    {
        if (!_channels.Remove(room, out var channel))
        {
            return;
        }

        _lastShownRoom = null;

        _ = Answered(left.Tag);
        switch (left.Reason)
        {
            case RoomLeftReason.Kicked:
                SendEvent(UserPrefix(left.By.Length > 0 ? left.By : Nick), "KICK", channel.Name, Nick, left.Text.Length > 0 ? left.Text : Nick);
                break;
            case RoomLeftReason.Deleted:
                SendEvent(Prefix, "PART", channel.Name, "the room was deleted" + (left.By.Length > 0 ? " by " + left.By : string.Empty));
                break;
            default:
                // The reason comes back in RoomLeft, so this user's other sessions show the same PART line.
                string reason = left.Text;
                if (reason.Length > 0)
                {
                    SendEvent(Prefix, "PART", channel.Name, reason);
                }
                else
                {
                    SendEvent(Prefix, "PART", channel.Name);
                }

                break;
        }
    }

    private void OnTopicChanged(string room, TopicPacket topic)
    {
        Answered(topic.Tag);
        if (!_channels.TryGetValue(room, out var channel))
        {
            return;
        }

        channel.Topic = topic.Text;
        channel.TopicBy = topic.SetBy;
        channel.TopicTimeMs = topic.TimeMs;
        SendEvent(UserPrefix(topic.SetBy), "TOPIC", channel.Name, topic.Text);
    }
}
