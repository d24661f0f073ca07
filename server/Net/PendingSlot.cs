using System.Net;

namespace LanTalk.Server.Net;

/// <summary>
/// One place in the pre-login budget (global and per address), held from accept until login or close. Released
/// exactly once, whichever comes first, so the counters cannot drift when a login and a close race.
/// </summary>
internal sealed class PendingSlot(ChatServer server, IPAddress address)
{
    private int _released;

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            server.LeftPendingBudget(address);
        }
    }
}
