using LanTalk.Core.Protocol;

namespace LanTalk.Harness.Load;

/// <summary>The server refused a load client's connection or login.</summary>
internal sealed class LoginRefusedException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
