using System.Runtime.CompilerServices;

namespace LanTalk.Server.Rooms;

/// <summary>
/// IRCv3 client-only tags (<c>+name=value</c>: replies, reactions, typing) that ride beside a message frame, never in it.
/// ChatSocket has no field for them and history does not keep them: they pass live from an IRC sender to the IRC
/// recipients that asked for <c>message-tags</c>. The router attaches them to the frames it builds for a message; an
/// IRC session reads them when it translates the frame (<c>IrcFrameCache</c>). A ChatSocket session never looks.
/// </summary>
/// <remarks>
/// Keyed by the frame array itself, which is never mutated and is shared by every recipient of one fan-out, so the
/// lookup costs one per frame and thread, not one per recipient. The table holds its keys weakly: an entry goes with
/// its frame once every queue that held the frame has sent it. Only frames of messages that carried client tags are
/// in it, so the usual message adds nothing.
/// </remarks>
internal static class ClientTags
{
    private static readonly ConditionalWeakTable<byte[], string> s_byFrame = new();

    /// <summary>Returns <paramref name="frame"/>, with <paramref name="tags"/> (escaped, <c>+a=b;+c</c>) attached when there are any.</summary>
    public static byte[] Attach(byte[] frame, string? tags)
    {
        if (tags is not null)
        {
            s_byFrame.AddOrUpdate(frame, tags);
        }

        return frame;
    }

    /// <summary>The client tags attached to <paramref name="frame"/>, or null.</summary>
    public static string? Of(byte[] frame) => s_byFrame.TryGetValue(frame, out var tags) ? tags : null;
}
