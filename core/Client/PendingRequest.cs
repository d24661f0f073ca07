using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>A tagged v3 request waiting for its answer: the command and packet type that complete it.</summary>
internal sealed record PendingRequest(ChatCommand Command, PacketType Answer)
{
    public TaskCompletionSource<IPacket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
