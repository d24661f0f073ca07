using System.Globalization;

namespace LanTalk.Server.Net;

/// <summary>
/// Tells the operator, with a WARN at most every <see cref="Interval"/>, that the server-wide pre-login budget
/// (MaxPendingLogins) is refusing connections, and which addresses hold the most of it. Before, each refusal was one
/// INFO line among thousands, so a host holding the budget with idle connections (keeping everyone else from logging
/// in) went unnoticed; found by fault injection against the published server. Lock-free: refusals come from every
/// accept at once, and only the one that wins the time slot logs.
/// </summary>
internal sealed class PendingBudgetAlarm(Func<int> limit, Func<int, KeyValuePair<AddressGroup, int>[]> holders, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _refused;
    private long _nextReportTicks;

    /// <summary>Counts one refusal; returns the WARN's text when the last one is at least <see cref="Interval"/> old, else null.</summary>
    public string? Refused()
    {
        Interlocked.Increment(ref _refused);
        long now = clock.GetTimestamp();
        long next = Volatile.Read(ref _nextReportTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextReportTicks, now + (long)(Interval.TotalSeconds * clock.TimestampFrequency), next) != next)
        {
            return null;
        }

        long refused = Interlocked.Exchange(ref _refused, 0);
        var biggest = holders(5).Select(p => $"{p.Key} ({p.Value})");
        return string.Format(
            CultureInfo.InvariantCulture,
            "Logins are being refused: all {0} pre-login slots (MaxPendingLogins) are taken, {1} connection(s) refused since the last report; "
            + "the addresses holding the most: {2}. If these are not your users logging in, block them at the firewall; a busy LAN may need "
            + "a larger MaxPendingLogins in Settings.xml",
            limit(),
            refused,
            string.Join(", ", biggest));
    }
}
