using System.Net.Sockets;

namespace LanTalk.Server.Net;

/// <summary>One rate-limited log line about failing accepts: the error, and how many failed since the last line.</summary>
/// <param name="Error">The socket error code of the latest failure.</param>
/// <param name="Message">Its text.</param>
/// <param name="Failures">Failures since the previous report (1 for the first of a run).</param>
/// <param name="Since">How long accept has been failing.</param>
/// <param name="NextDelay">The pause before the next attempt.</param>
/// <param name="First">The first failure after a success.</param>
internal readonly record struct AcceptFailureReport(SocketError Error, string Message, long Failures, TimeSpan Since, TimeSpan NextDelay, bool First)
{
    /// <summary>What the operator can do about it, when there is something.</summary>
    public string Hint => Error switch
    {
        SocketError.TooManyOpenSockets => "the open-files limit is reached: each client holds a descriptor, so raise LimitNOFILE= (systemd) or ulimit -n, or lower MaxClients",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "a client gave up before it was accepted; the others are not affected",
        _ => "new connections wait in the backlog until accept works again",
    };
}
