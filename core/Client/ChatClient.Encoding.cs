using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>
/// Every request this client sends is encoded here first, so one that cannot go on the wire fails at once, before
/// anything is registered or sent, and the connection stays open:
/// <list type="bullet">
/// <item>a frame longer than the server takes (MaxFrameSize, or a string over 65,535 UTF-8 bytes) is a
/// <see cref="ChatClientException"/> (Rejected, MessageTooLong): a text of 70,000 characters threw OverflowException
/// from the frame writer, and a frame over the server's MaxFrameSize made the server close the connection;</item>
/// <item>a field over its byte limit (PROTOCOL.md, Limits: a target over 256 bytes, a RoomRequest Name over 128, a Text
/// over 4,096, a login name over the announced limit, a password over 256), or a private message without a recipient,
/// is a <see cref="ChatClientException"/> (Rejected, ProtocolViolation, not FromServer) naming the field, its limit and
/// the value's size. The server takes such a request as a ProtocolViolation and closes the connection: all 13 such
/// calls of an API audit (2026-12-06) cost the session;</item>
/// <item>a request other than Hello and login before <see cref="LoginAsync"/> has completed is an
/// <see cref="InvalidOperationException"/> ("log in first"), as a request before <see cref="ConnectAsync"/> is: the
/// server answered it NotAuthenticated and closed the connection, and the client reported a mere refusal (Rejected),
/// so the LoginAsync that followed failed with the same error (an outside audit, a-lib, LOW 8).</item>
/// </list>
/// </summary>
public sealed partial class ChatClient
{
    // The limits the server decodes requests with: its announced ones, or the defaults before its Hello.
    private ProtocolLimits? _requestLimits;

    /// <summary>The request's frame bytes; throws when it cannot be sent (see the type's summary).</summary>
    private byte[] Encode(ChatCommand command, string target, IPacket packet)
    {
        if (UserName is null && !CommandTable.AllowedBeforeLogin(command))
        {
            throw new InvalidOperationException(_connection is null
                ? "not connected"
                : $"log in first: a {command} before LoginAsync has completed would make the server close the connection (nothing was sent)");
        }

        // The length prefix counts the bytes after itself (PROTOCOL.md, Frames); the server announced its limit.
        int limit = ServerHello is { MaxFrameSize: > 0 } hello ? hello.MaxFrameSize : ProtocolLimits.LargestFrame;
        long length = (long)FrameCodec.Measure(target, packet) - 4;
        if (length <= limit)
        {
            try
            {
                var frame = FrameCodec.Serialize(command, target, packet);
                CheckFields(command, target, frame);
                return frame;
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

    /// <summary>
    /// Reads the request back as the server will: the frame header (RawFrame.Parse) and the body (the packet's decoder,
    /// under the server's announced limits). So the field limits checked here are the decoder's own, not a list kept
    /// by hand beside it, and a request added later is checked without anyone remembering to.
    /// </summary>
    private void CheckFields(ChatCommand command, string target, byte[] frame)
    {
        if (target.Length == 0 && CommandTable.NeedsTarget(command))
        {
            throw new ChatClientException(ChatFailure.Rejected,
                $"the {command} was not sent: its target (the recipient's user name) is empty, and it needs one (PROTOCOL.md, Frames)", ErrorCode.ProtocolViolation);
        }

        try
        {
            RawFrame.Parse(frame.AsSpan(4)).ReadPacket(RequestLimits);
        }
        catch (ProtocolViolationException ex)
        {
            throw new ChatClientException(ChatFailure.Rejected,
                $"the {command} was not sent: its {ex.Message} (PROTOCOL.md, Limits); the server would have closed the connection over it", ErrorCode.ProtocolViolation);
        }
    }

    private ProtocolLimits RequestLimits => ServerHello is not { } hello ? ProtocolLimits.Default : _requestLimits ??= ProtocolLimits.Default with
    {
        MaxFrameSize = hello.MaxFrameSize > 0 ? hello.MaxFrameSize : ProtocolLimits.LargestFrame,
        MaxUserNameLength = hello.MaxUserNameLength > 0 ? hello.MaxUserNameLength : ProtocolLimits.Default.MaxUserNameLength,
        MaxMessageBytes = hello.MaxMessageBytes > 0 ? hello.MaxMessageBytes : ProtocolLimits.Default.MaxMessageBytes,
    };

    /// <summary>Queues an encoded frame; false when the connection is closing.</summary>
    private bool SendFrame(byte[] frame) => Connection.Enqueue(frame);
}
