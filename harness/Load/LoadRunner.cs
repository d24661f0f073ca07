using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

/// <summary>Connects load clients and drives traffic phases against one server, filling in a <see cref="LoadResult"/>.</summary>
internal sealed partial class LoadRunner(ServerTarget target, ProcStats? server, bool showProgress)
{
    /// <summary>One source address holds about 28k ephemeral ports; beyond 10,000 clients spread over several.</summary>
    private const int ClientsPerSourceAddress = 10_000;

    public ServerTarget Target { get; } = target;

    public ProcStats? Server { get; } = server;

    public bool ShowProgress { get; } = showProgress;

    public LoadRunState State { get; } = new();

    /// <summary>
    /// <paramref name="count"/> clients over <paramref name="count"/> / <paramref name="sessionsPerUser"/> accounts:
    /// with more than one session per user, clients i, i + users, i + 2 users ... are sessions of the same account.
    /// Traffic is accounted per client index, so several sessions of one name are counted apart.
    /// </summary>
    public List<LoadClient> CreateClients(int count, int userOffset, int sessionsPerUser = 1)
    {
        int users = (count + sessionsPerUser - 1) / sessionsPerUser;
        if (userOffset + users > Target.Users.Count)
        {
            throw new HarnessException($"{userOffset + users} test users are needed; the server has {Target.Users.Count} (provision more, or lower --clients)");
        }

        return Enumerable.Range(0, count).Select(i => new LoadClient(i, Target.Users[userOffset + (i % users)], State)).ToList();
    }

    /// <summary>Connects and logs in every client, at most <paramref name="concurrency"/> at once; records the rate and p99.</summary>
    public async Task ConnectAsync(IReadOnlyList<LoadClient> clients, int concurrency, LoadResult result, CancellationToken cancellationToken)
    {
        var histogram = new LatencyHistogram();
        using var gate = new SemaphoreSlim(concurrency);
        int connected = 0;
        int failed = 0;
        var failures = new Dictionary<string, int>();
        long start = Clock.Now;
        bool spread = Target.IsLoopback && clients.Count > ClientsPerSourceAddress;
        using (new Progress($"{result.Name} connect", () => $"logged in {Volatile.Read(ref connected)}/{clients.Count}, failed {Volatile.Read(ref failed)}", ShowProgress && clients.Count > 200))
        {
            var tasks = clients.Select(async client =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    long t0 = Clock.Now;
                    var local = spread ? new IPAddress(new byte[] { 127, 0, 0, (byte)(1 + (client.Index / ClientsPerSourceAddress)) }) : null;
                    await client.ConnectAndLoginAsync(Target, local, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                    histogram.Record((long)Clock.ToMicroseconds(Clock.Now - t0), client.Index);
                    Interlocked.Increment(ref connected);
                }
                catch (Exception ex) when (ex is LoginRefusedException or SocketException or IOException or HarnessException)
                {
                    Interlocked.Increment(ref failed);
                    string key = ex is LoginRefusedException refused && refused.Code != ErrorCode.None ? $"{refused.Code}: {ex.Message}" : ex.Message;
                    lock (failures)
                    {
                        failures[key] = failures.GetValueOrDefault(key) + 1;
                    }
                }
                finally
                {
                    gate.Release();
                }
            }).ToArray();
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        KeepAlive(clients);

        double seconds = Clock.ToSeconds(Clock.Now - start);
        result.Clients = clients.Count;
        result.Connected = connected;
        result.ConnectSeconds = seconds;
        result.LoginsPerSecond = connected / Math.Max(seconds, 1e-9);
        result.ConnectP50Ms = histogram.Percentile(50) / 1000.0;
        result.ConnectP99Ms = histogram.Percentile(99) / 1000.0;
        foreach (var (reason, count) in failures)
        {
            result.ConnectFailures[reason] = count;
        }
    }

    /// <summary>Closes every client (bounded), optionally logging out first.</summary>
    public static async Task CloseAllAsync(IEnumerable<LoadClient> clients, bool logout = false)
    {
        var closing = clients.Select(c => c.CloseAsync(logout)).ToArray();
        await Task.WhenAny(Task.WhenAll(closing), Task.Delay(TimeSpan.FromSeconds(15))).ConfigureAwait(false);
    }
}
