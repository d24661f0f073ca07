using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>
/// Every request this client sends is encoded here first, so one that cannot go on the wire fails at once as a
/// <see cref="ChatClientException"/> (Rejected, MessageTooLong) before anything is registered or sent: a text of
/// 70,000 characters threw OverflowException from the frame writer (a string field holds at most 65,535 UTF-8 bytes),
/// and a frame over the server's MaxFrameSize would make the server close the connection (an API audit, 2026-12-06).
/// </summary>
public sealed partial class ChatClient
{
    /// <summary>The request's frame bytes; throws when it is too long to send.</summary>
    private byte[] Encode(ChatCommand command, string target, IPacket packet)
    {
        // The length prefix counts the bytes after itself (PROTOCOL.md, Frames); the server announced its limit.
        int limit = ServerHello is { MaxFrameSize: > 0 } hello ? hello.MaxFrameSize : ProtocolLimits.LargestFrame;
        long length = (long)FrameCodec.Measure(target, packet) - 4;
        if (length <= limit)
        {
            try
            {
                return FrameCodec.Serialize(command, target, packet);
            }
            catch (OverflowException)
            {
                // One string over 65,535 UTF-8 bytes, in a frame the server would take.
            }
        }

        string text = ServerHello is { MaxMessageBytes: > 0 } limits ? $"; a message text may hold at most {limits.MaxMessageBytes} bytes" : string.Empty;
        throw new ChatClientException(ChatFailure.Rejected,
            $"the {command} is too long to send: its frame would be {length} bytes, and the server takes frames of at most {limit} bytes (a text field at most 65,535){text}",
            ErrorCode.MessageTooLong);
    }

    /// <summary>Queues an encoded frame; false when the connection is closing.</summary>
    private bool SendFrame(byte[] frame) => Connection.Enqueue(frame);
}
