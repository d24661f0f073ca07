namespace LanTalk.Core.Protocol;

/// <summary>The one exception for bad input from a peer: it ends that session with an Error frame carrying <see cref="Code"/>.</summary>
public sealed class ProtocolViolationException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;

    public static ProtocolViolationException Violation(string message) => new(ErrorCode.ProtocolViolation, message);
}
