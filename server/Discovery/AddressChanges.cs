using System.Net;
using LanTalk.Core.Discovery;

namespace LanTalk.Server.Discovery;

/// <summary>
/// Which interfaces hold addresses that neighbours have not been told about: RFC 6762 §8.4 asks for a new
/// announcement whenever a record's data changes. Pure, so it is tested without sockets.
/// </summary>
internal static class AddressChanges
{
    /// <summary>
    /// The interfaces of <paramref name="now"/> that are new, or whose announced addresses (IPv6 link-local is never
    /// announced) differ from <paramref name="before"/>. An interface that went away has nobody left to tell.
    /// </summary>
    public static IReadOnlyList<MulticastInterface> Between(IReadOnlyList<MulticastInterface> before, IReadOnlyList<MulticastInterface> now) =>
        [.. now.Where(nic => before.FirstOrDefault(b => b.Index == nic.Index) is not { } old || !Announced(old).SetEquals(Announced(nic)))];

    private static HashSet<IPAddress> Announced(MulticastInterface nic) => [.. nic.IPv4.Concat(nic.IPv6).Where(a => !a.IsIPv6LinkLocal)];
}
