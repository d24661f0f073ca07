using LanTalk.Core.Packets;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

/// <summary>
/// A login's check: the account whose password it proved (or that Register created), which the admission then checks
/// is still the name's account; or the refusal to send. A refusal converts to one, so the checks return their errors as they are.
/// </summary>
internal readonly record struct LoginCheck(UserRecord? Account, ErrorPacket? Refusal)
{
    public static implicit operator LoginCheck(ErrorPacket refusal) => new(null, refusal);
}
