using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using LanTalk.Core.Packets;

namespace LanTalk.Core.Protocol;

/// <summary>
/// A validated frame header over borrowed bytes: valid only during the callback that receives it.
/// Hot paths read <see cref="Body"/> directly; others call <see cref="ReadPacket"/>.
/// </summary>
public readonly ref struct RawFrame
{
    /// <summary>Targets are user names; 4 bytes per character covers any UTF-8 name within the limits.</summary>
    public const int MaxTargetBytes = 256;

    private RawFrame(ChatCommand command, ReadOnlySpan<byte> target, PacketType type, ReadOnlySpan<byte> body)
    {
        Command = command;
        Target = target;
        Type = type;
        Body = body;
    }

    public ChatCommand Command { get; }

    /// <summary>UTF-8 user name the frame is addressed to or about; empty means everyone.</summary>
    public ReadOnlySpan<byte> Target { get; }

    public PacketType Type { get; }

    public ReadOnlySpan<byte> Body { get; }

    public string TargetName => Target.IsEmpty ? string.Empty : Encoding.UTF8.GetString(Target);

    /// <summary>
    /// The command code of a frame not yet validated (it may be one this version does not know), for a dispatch
    /// gate that decides when the frame is handled before <see cref="Parse"/> judges it.
    /// </summary>
    public static ChatCommand PeekCommand(ReadOnlySpan<byte> payload) =>
        payload.Length >= 4 ? (ChatCommand)BinaryPrimitives.ReadInt32LittleEndian(payload) : (ChatCommand)(-1);

    /// <summary>Parses the bytes after the length prefix. Unknown commands and packet types are violations.</summary>
    public static RawFrame Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < ProtocolLimits.FrameOverhead - 4)
        {
            throw ProtocolViolationException.Violation($"frame of {payload.Length} bytes is shorter than the 8-byte header");
        }

        var command = (ChatCommand)BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (!CommandTable.IsKnown(command))
        {
            throw ProtocolViolationException.Violation($"unknown command {(int)command}");
        }

        int targetLength = BinaryPrimitives.ReadUInt16LittleEndian(payload[4..]);
        if (targetLength > MaxTargetBytes)
        {
            throw ProtocolViolationException.Violation($"target length {targetLength} is over the limit of {MaxTargetBytes} bytes");
        }

        if (6 + targetLength + 2 > payload.Length)
        {
            throw ProtocolViolationException.Violation($"target length {targetLength} does not fit the frame");
        }

        var target = payload.Slice(6, targetLength);
        if (!Utf8.IsValid(target))
        {
            throw ProtocolViolationException.Violation("target is not valid UTF-8");
        }

        var type = (PacketType)BinaryPrimitives.ReadUInt16LittleEndian(payload[(6 + targetLength)..]);
        if (!PacketDecoder.IsKnown(type))
        {
            throw ProtocolViolationException.Violation($"unknown packet type {(ushort)type}");
        }

        if (!CommandTable.Allows(command, type))
        {
            throw ProtocolViolationException.Violation($"{command} cannot carry a {type} packet");
        }

        return new RawFrame(command, target, type, payload[(8 + targetLength)..]);
    }

    public IPacket ReadPacket(ProtocolLimits limits) => PacketDecoder.Decode(Type, Body, limits);

    public override string ToString() => $"{Command} -> '{TargetName}' {Type} ({Body.Length} bytes)";
}
