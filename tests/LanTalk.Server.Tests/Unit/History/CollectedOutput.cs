using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>A session output that keeps every frame queued to it, decoded from the very bytes a socket would carry.</summary>
internal sealed class CollectedOutput(string userName, ulong sessionId, ushort version = 3) : ISessionOutput
{
    private readonly List<ReceivedFrame> _frames = [];

    public ulong SessionId => sessionId;

    public string UserName => userName;

    public ushort Version => version;

    public IReadOnlyList<ReceivedFrame> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>The ChatMessages queued, in order.</summary>
    public IReadOnlyList<ChatMessagePacket> Messages => Frames.Select(f => f.Packet).OfType<ChatMessagePacket>().ToList();

    public bool Enqueue(byte[] frame)
    {
        var raw = RawFrame.Parse(frame.AsSpan(4));
        lock (_frames)
        {
            _frames.Add(new ReceivedFrame(raw.Command, raw.TargetName, raw.Type, raw.Body.ToArray()));
        }

        return true;
    }

    public void Send(ChatCommand command, string target, IPacket packet) => Enqueue(FrameCodec.Serialize(command, target, packet));

    // Kept in memory as soon as queued: each frame counts as written at once.
    public long FramesQueued => Frames.Count;

    public long FramesWritten => Frames.Count;

    public bool IsClosing => false;

    public void Clear()
    {
        lock (_frames)
        {
            _frames.Clear();
        }
    }
}
