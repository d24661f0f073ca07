using LanTalk.Core.Packets;

namespace LanTalk.Server.Rooms;

/// <summary>
/// What a session asks of the router: deliver a room or private message it sent. The text is read only during the
/// call (the router copies what it keeps), so callers may pass borrowed or pooled bytes.
/// </summary>
internal interface IRouter
{
    /// <summary>A public message to <paramref name="target"/> (a room; empty = the default room).</summary>
    void RoutePublic(IRoomSession sender, string target, uint tag, ReadOnlySpan<byte> text, ChatMessageKind kind);

    /// <summary>A private message to the user <paramref name="to"/>.</summary>
    void RoutePrivate(IRoomSession sender, string to, uint tag, ReadOnlySpan<byte> text, ChatMessageKind kind);

    /// <summary>
    /// Runs <paramref name="done"/> once every message accepted before this call has been fanned out (or refused);
    /// inline when none is in the store's hands. An IRC PING's barrier (IrcSession.PongOrder). Must not block.
    /// </summary>
    void AfterPending(Action done);
}
