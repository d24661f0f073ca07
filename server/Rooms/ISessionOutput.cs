using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Rooms;

/// <summary>
/// What the router, the room registry and the room history see of one logged-in session: who it is and a way to queue
/// frames to it. A TCP session implements it; the IRC gateway's sessions can too.
/// </summary>
public interface ISessionOutput
{
    /// <summary>The Welcome's session id; the OriginSessionId of messages this session sends.</summary>
    ulong SessionId { get; }

    /// <summary>The user's name as stored.</summary>
    string UserName { get; }

    /// <summary>The protocol version from ClientHello (2 or 3).</summary>
    ushort Version { get; }

    /// <summary>
    /// ClientHello's OneShot flag: a session that sends and leaves (<c>lantalk send</c>, a script). It takes no stored
    /// private messages and no pending receipts, which would be marked delivered to a process that shows nobody.
    /// </summary>
    bool OneShot => false;

    /// <summary>
    /// The device of a session that cannot tell a copy of a message from a new one (an IRC client shows every line it
    /// gets; a ChatSocket v3 client drops ids it already holds): a later session with the same value is the same
    /// client reconnecting, and gets no re-delivery of stored messages it was sent (PROTOCOL.md, "Devices started
    /// together"). Null for sessions that drop copies themselves.
    /// </summary>
    string? CopyBlindDevice => null;

    /// <summary>Queues one frame serialized by the caller (shared by many recipients). False when the session is closing or overflowed.</summary>
    bool Enqueue(byte[] frame);

    /// <summary>Serializes and queues one frame for this session only.</summary>
    void Send(ChatCommand command, string target, IPacket packet);

    /// <summary>
    /// How many frames (IRC: lines) the connection has taken so far. Read right after an <see cref="Enqueue"/>, it is
    /// the mark <see cref="FramesWritten"/> must reach for that frame to have been written.
    /// </summary>
    long FramesQueued { get; }

    /// <summary>How many of them have been written to the socket (handed to the operating system).</summary>
    long FramesWritten { get; }

    /// <summary>True once the connection started closing: it may no longer enter the roster, and what is not written by the end never will be.</summary>
    bool IsClosing { get; }
}
