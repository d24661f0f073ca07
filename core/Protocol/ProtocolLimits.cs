namespace LanTalk.Core.Protocol;

/// <summary>Size limits both peers enforce; the server announces its values in ServerHello.</summary>
public sealed record ProtocolLimits
{
    /// <summary>Version a client of this build speaks unless it asks for v3. Version 1 was the 2008 reflection-based format.</summary>
    public const ushort CurrentVersion = 2;

    /// <summary>Oldest version a server of this build accepts in ClientHello.</summary>
    public const ushort MinVersion = 2;

    /// <summary>Newest version this build speaks: 3 adds rooms, sessions and history (docs/design/protocol-v3.md).</summary>
    public const ushort MaxVersion = 3;

    /// <summary>Length prefix + command + target length + packet type: the smallest frame is 12 bytes on the wire.</summary>
    public const int FrameOverhead = 4 + 4 + 2 + 2;

    /// <summary>
    /// The largest length prefix every client accepts (PROTOCOL.md, "Frames"). A client has no way to announce another
    /// limit, so the server never sends a longer frame, whatever its own MaxFrameSize; list answers that could grow
    /// past it are split into parts or cut to fit.
    /// </summary>
    public const int LargestFrame = 65_536;

    /// <summary>Largest value of the length prefix (bytes after the prefix). 64 KiB holds the longest message with room to spare.</summary>
    public int MaxFrameSize { get; init; } = 64 * 1024;

    /// <summary>User names are short display handles; 32 characters fit every UI column.</summary>
    public int MaxUserNameLength { get; init; } = 32;

    /// <summary>
    /// The most UTF-8 bytes a user-name field carries (PROTOCOL.md, "Limits"), whatever MaxUserNameLength says: a
    /// longer setting (the first releases allowed 256, and accounts of 40 characters exist) never makes a name longer
    /// than this, so every receiver can size the field once.
    /// </summary>
    public const int NameFieldBytes = 128;

    /// <summary>What a name field may hold under these limits: 4 bytes per character, never past <see cref="NameFieldBytes"/>.</summary>
    public int MaxUserNameBytes => Math.Min(4 * MaxUserNameLength, NameFieldBytes);

    /// <summary>Message text in UTF-8 bytes; 4 KiB is a long paragraph.</summary>
    public int MaxMessageBytes { get; init; } = 4096;

    /// <summary>Passwords in UTF-8 bytes; long enough for passphrases, short enough to bound hashing cost.</summary>
    public int MaxPasswordBytes { get; init; } = 256;

    public static ProtocolLimits Default { get; } = new();
}
