using LanTalk.Core.Protocol;

namespace LanTalk.Core.Packets;

/// <summary>A typed frame body. Each implementation measures itself exactly, so a frame is written in one pass.</summary>
public interface IPacket
{
    PacketType Type { get; }

    int MeasureBody();

    void WriteBody(ref WireWriter writer);
}
