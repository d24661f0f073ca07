using System.Net;
using LanTalk.Core.Discovery;

namespace LanTalk.Server.Discovery;

/// <summary>
/// Which interfaces hold addresses that neighbours have not been told about: RFC 6762 §8.4 asks for a new
/// announcement whenever a record's data changes; and which announced addresses are gone, for goodbyes (§10.1).
/// Pure, so it is tested without sockets.
/// </summary>
internal static class AddressChanges
{
    /// <summary>
    /// The interfaces of <paramref name="now"/> that are new, or whose announced addresses (IPv6 link-local is never
    /// announced) differ from <paramref name="before"/>. An interface that went away has nobody left to tell.
    /// </summary>
    public static IReadOnlyList<MulticastInterface> Between(IReadOnlyList<MulticastInterface> before, IReadOnlyList<MulticastInterface> now) =>
        [.. now.Where(nic => before.FirstOrDefault(b => b.Index == nic.Index) is not { } old || !Announced(old).SetEquals(Announced(nic)))];

    /// <summary>
    /// Per interface of <paramref name="before"/>: the addresses <paramref name="records"/> announced there that are
    /// not announced there any more. An interface that left the list (its last IPv4 address went away, or its multicast
    /// flag) loses them all: the responder no longer answers on it, so neighbours must drop even its IPv6 addresses.
    /// </summary>
    public static IReadOnlyList<(MulticastInterface Nic, IReadOnlyList<IPAddress> Gone)> Gone(
        IReadOnlyList<MulticastInterface> before, IReadOnlyList<MulticastInterface> now, ServiceRecords records)
    {
        var result = new List<(MulticastInterface, IReadOnlyList<IPAddress>)>();
        foreach (var old in before)
        {
            var still = now.FirstOrDefault(n => n.Index == old.Index) is { } nic ? records.Served(nic.IPv4.Concat(nic.IPv6)) : [];
            var gone = records.Served(old.IPv4.Concat(old.IPv6)).Where(a => !still.Contains(a)).ToList();
            if (gone.Count > 0)
            {
                result.Add((old, gone));
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="before"/> had an interface the server was announced on and <paramref name="now"/> has none.</summary>
    public static bool NoLongerAnnounced(IReadOnlyList<MulticastInterface> before, IReadOnlyList<MulticastInterface> now, ServiceRecords records) =>
        before.Any(nic => records.Served(nic.IPv4.Concat(nic.IPv6)).Count > 0) && !now.Any(nic => records.Served(nic.IPv4.Concat(nic.IPv6)).Count > 0);

    private static HashSet<IPAddress> Announced(MulticastInterface nic) => [.. nic.IPv4.Concat(nic.IPv6).Where(a => !a.IsIPv6LinkLocal)];
}
