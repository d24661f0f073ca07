using System.Buffers.Binary;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>
/// <see cref="ChatClientOptions.DecodeMessages"/> false spares a load generator a ChatMessage per delivery, but the
/// client's own requests still need some of those frames: the echo that confirms a send, and a History or Search
/// page's messages. Skipping them all made every confirmed send time out although the server had answered at once,
/// and every page come back empty (an API audit, 2026-12-06). So the tag and flags are peeked at in place, and only
/// a frame one of those requests waits for is decoded; it is still not raised as <see cref="MessageReceived"/>.
/// </summary>
public sealed partial class ChatClient
{
    /// <summary>True when an undecoded client must still decode this ChatMessage frame for a request of its own.</summary>
    private bool AnswersARequest(RawFrame frame)
    {
        // messageId:u64 | serverTimeMs:i64 | from:str16 | tag:u32 | text:str16 | v3: kind:u8 | flags:u8 | originSessionId:u64
        var body = frame.Body;
        if (body.Length < 18)
        {
            // Malformed: the decoder names the violation.
            return true;
        }

        int tagAt = 18 + BinaryPrimitives.ReadUInt16LittleEndian(body[16..]);
        if (body.Length < tagAt + 6)
        {
            return true;
        }

        uint tag = BinaryPrimitives.ReadUInt32LittleEndian(body[tagAt..]);
        int flagsAt = tagAt + 6 + BinaryPrimitives.ReadUInt16LittleEndian(body[(tagAt + 4)..]) + 1;
        bool history = flagsAt < body.Length && (body[flagsAt] & (byte)MessageMarks.History) != 0;
        if ((tag & ConfirmedTagBit) == 0 && !history)
        {
            // PostMessage's tags are below 2^31: the load generator's own traffic never takes the lock.
            return false;
        }

        lock (_pendingLock)
        {
            return ((tag & ConfirmedTagBit) != 0 && _pendingSends.ContainsKey(tag)) || (history && _page is not null);
        }
    }
}
