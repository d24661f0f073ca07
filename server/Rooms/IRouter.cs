using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

/// <summary>
/// What a session asks of the router: deliver a room or private message it sent. The text is read only during the
/// call (the router copies what it keeps), so callers may pass borrowed or pooled bytes.
/// </summary>
internal interface IRouter
{
    /// <summary>A public message to <paramref name="target"/> (a room; empty = the default room).</summary>
    /// <param name="clientTags">IRCv3 client-only tags from an IRC sender, relayed live beside the frames (<see cref="ClientTags"/>), never stored.</param>
    void RoutePublic(IRoomSession sender, string target, uint tag, ReadOnlySpan<byte> text, ChatMessageKind kind, string? clientTags = null);

    /// <summary>A private message to the user <paramref name="to"/>.</summary>
    /// <param name="clientTags">As for <see cref="RoutePublic"/>.</param>
    void RoutePrivate(IRoomSession sender, string to, uint tag, ReadOnlySpan<byte> text, ChatMessageKind kind, string? clientTags = null);

    /// <summary>
    /// An IRCv3 TAGMSG (client-only tags, no text) to <paramref name="target"/>, a room (<c>#</c> stripped) when
    /// <paramref name="toRoom"/>, else a user: passed live to every session of the audience that renders tags
    /// (<see cref="IRoomSession.DeliverTagsOnly"/>), in order behind the sender's earlier messages; never stored.
    /// </summary>
    void RouteTagsOnly(IRoomSession sender, string target, bool toRoom, uint tag, string clientTags);

    /// <summary>
    /// Runs <paramref name="done"/> once every message accepted before this call has been fanned out (or refused);
    /// inline when none is in the store's hands. An IRC PING's barrier (IrcSession.PongOrder). Must not block.
    /// </summary>
    void AfterPending(Action done);
}
