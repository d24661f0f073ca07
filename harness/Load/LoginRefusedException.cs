using System.Buffers.Binary;
using System.Net;
using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

/// <summary>The server refused a load client's connection or login.</summary>
internal sealed class LoginRefusedException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
