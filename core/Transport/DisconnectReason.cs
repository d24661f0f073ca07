using LanTalk.Core.Protocol;

namespace LanTalk.Core.Transport;

/// <summary>The kind, the protocol error code (None when there was none) and a sentence for logs and users.</summary>
public sealed record DisconnectReason(DisconnectKind Kind, ErrorCode Code, string Message)
{
    public static DisconnectReason Local(string message) => new(DisconnectKind.Local, ErrorCode.None, message);

    public override string ToString() => Code == ErrorCode.None ? $"{Kind}: {Message}" : $"{Kind} ({Code}): {Message}";
}
