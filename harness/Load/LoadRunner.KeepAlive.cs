using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

internal sealed partial class LoadRunner : IDisposable
{
    private readonly List<LoadClient> _alive = [];
    private Timer? _keepAlive;

    /// <summary>
    /// Pings every logged-in client at half the server's ping interval, as the reference client does, so idle
    /// clients (capacity holds thousands for minutes while the rest connect) are not dropped for IdleTimeout.
    /// One timer for all clients, once a second; a ping is a 12-byte priority frame.
    /// </summary>
    private void KeepAlive(IEnumerable<LoadClient> clients)
    {
        lock (_alive)
        {
            _alive.AddRange(clients);
            _keepAlive ??= new Timer(_ => PingDue(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    private void PingDue()
    {
        long now = Clock.Now;
        lock (_alive)
        {
            _alive.RemoveAll(c => c.ServerReason is not null);
            foreach (var client in _alive)
            {
                if (client is { IsLoggedIn: true, Connection: { } connection, PingIntervalMs: > 0 }
                    && Clock.ToSeconds(now - client.LastPingTicks) * 1000 >= client.PingIntervalMs / 2)
                {
                    client.LastPingTicks = now;
                    connection.SendPriority(ChatCommand.Ping, new PingPacket(0));
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_alive)
        {
            _keepAlive?.Dispose();
            _keepAlive = null;
            _alive.Clear();
        }
    }
}
