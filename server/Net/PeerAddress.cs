using System.Net;

namespace LanTalk.Server.Net;

/// <summary>
/// A peer's address as the server keeps, compares and writes it: an IPv4 client on a dual-stack socket arrives as
/// ::ffff:a.b.c.d and is taken as a.b.c.d, so per-address limits, the log and Users.xml's lastLoginAddress see one
/// form whichever listener it came through. The one place for that rule: the Users.xml check compares against it.
/// </summary>
internal static class PeerAddress
{
    public static IPAddress Of(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
