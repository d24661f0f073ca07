using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>
/// A typed mode change, as IRC spells it: <c>+i</c>/<c>-i</c> invite-only on/off, <c>+t</c>/<c>-t</c> only owners /
/// any member may set the topic. Null parts are left as they are. <c>t</c> is IRC's sense, the inverse of the
/// protocol's TopicByAnyone bit, so a user of both clients types the same thing (docs/PROTOCOL.md, the IRC mapping).
/// </summary>
internal readonly record struct ModeChange(bool? InviteOnly, bool? OwnersSetTopic)
{
    public const string Usage = "+i/-i: invite-only on/off, +t/-t: only owners / any member may set the topic";

    /// <summary>The settable modes after this change to <paramref name="current"/>.</summary>
    public RoomModes Apply(RoomModes current)
    {
        var modes = current & RoomModes.Settable;
        if (InviteOnly is { } inviteOnly)
        {
            modes = inviteOnly ? modes | RoomModes.InviteOnly : modes & ~RoomModes.InviteOnly;
        }

        if (OwnersSetTopic is { } owners)
        {
            modes = owners ? modes & ~RoomModes.TopicByAnyone : modes | RoomModes.TopicByAnyone;
        }

        return modes;
    }

    /// <summary>
    /// Parses words like <c>+i</c>, <c>-t</c>, <c>+it</c> or <c>+i-t</c>; a letter given twice keeps its last sign.
    /// Null, with <paramref name="error"/> saying why, for anything else.
    /// </summary>
    public static ModeChange? Parse(string text, out string? error)
    {
        bool? inviteOnly = null, ownersSetTopic = null;
        error = null;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word[0] is not ('+' or '-'))
            {
                error = $"'{word}' is not a mode change ({Usage})";
                return null;
            }

            bool on = true;
            foreach (char c in word)
            {
                switch (c)
                {
                    case '+' or '-':
                        on = c == '+';
                        break;
                    case 'i' or 'I':
                        inviteOnly = on;
                        break;
                    case 't' or 'T':
                        ownersSetTopic = on;
                        break;
                    default:
                        error = $"unknown mode '{c}' in '{word}' ({Usage})";
                        return null;
                }
            }
        }

        if (inviteOnly is null && ownersSetTopic is null)
        {
            error = $"no mode given ({Usage})";
            return null;
        }

        return new ModeChange(inviteOnly, ownersSetTopic);
    }

    /// <summary>What a room's modes mean, e.g. "invite-only, only owners set the topic".</summary>
    public static string Describe(RoomModes modes)
    {
        if ((modes & RoomModes.Default) != 0)
        {
            return "the default room: open to everyone, any member may set the topic, no owner";
        }

        return ((modes & RoomModes.InviteOnly) != 0 ? "invite-only" : "open to everyone")
            + ((modes & RoomModes.TopicByAnyone) != 0 ? ", any member may set the topic" : ", only owners set the topic");
    }
}
