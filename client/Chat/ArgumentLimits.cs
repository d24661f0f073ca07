using System.Text;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>
/// The protocol's byte limits (PROTOCOL.md, Limits) on what a typed argument becomes: a user name (/msg, /who,
/// /invite, /kick, <c>lantalk send --to</c>) fits a 128-byte name field, and a topic, away text, reason or search
/// text the 4,096-byte text field. The numbers are the ones the decoders read with (<see cref="WireStrings"/>). A
/// longer argument was sent, the server took it as a protocol violation and closed the session, and /msg then
/// called the message "not confirmed, it may not have been delivered" (an outside audit, a-lib, MED 6).
/// </summary>
internal static class ArgumentLimits
{
    /// <summary>Why <paramref name="name"/> cannot be a user name on the wire, or null when it fits.</summary>
    public static string? NameProblem(string name) =>
        name.Length == 0 ? "the name is empty; nothing was sent" : Problem("name", name, WireStrings.MaxNameBytes);

    /// <summary>Why <paramref name="text"/> (a topic, away text, reason or search) cannot be sent, or null when it fits.</summary>
    public static string? TextProblem(string what, string text) => Problem(what, text, WireStrings.MaxTextBytes);

    private static string? Problem(string what, string value, int limit)
    {
        int bytes = Encoding.UTF8.GetByteCount(value);
        return bytes > limit ? $"{what} too long: {bytes} bytes, at most {limit}; nothing was sent" : null;
    }
}
