namespace LanTalk.Harness.Conformance;

/// <summary>
/// Every conformance check, in the order they run. The one explicit registry: a new check is one more entry in one
/// of these lists. Checks that need other limits start their own server; shutdown-notice stays last: it stops the server.
/// </summary>
internal static class CheckList
{
    public static IReadOnlyList<Check> All { get; } =
    [
        .. HandshakeChecks.All,
        .. FramingChecks.All,
        .. MessagingChecks.All,
        .. TlsChecks.All,
        .. ThrottleChecks.All,
        .. SessionChecks.All,
        .. MultiSessionChecks.All,
        .. VersionInterplayChecks.All,
        .. RoomPresenceChecks.All,
        .. HistoryChecks.All,
        // Last: its shutdown-notice check stops the server.
        .. LimitChecks.All,
    ];
}
