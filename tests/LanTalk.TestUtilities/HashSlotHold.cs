using LanTalk.Server.Net;

namespace LanTalk.TestUtilities;

/// <summary>
/// Takes every password-hashing slot of a server, so its password checks (right or wrong, ChatSocket or IRC) queue
/// until this is disposed: a login is then certainly undecided while the test acts.
/// </summary>
public sealed class HashSlotHold : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _held;

    private HashSlotHold(SemaphoreSlim slots, int held)
    {
        _slots = slots;
        _held = held;
    }

    public static HashSlotHold All(ChatServer server)
    {
        int held = 0;
        while (server.HashSlots.Wait(0))
        {
            held++;
        }

        held.Should().BeGreaterThan(0);
        return new HashSlotHold(server.HashSlots, held);
    }

    public void Dispose() => _slots.Release(_held);
}
