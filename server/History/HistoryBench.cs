using System.Diagnostics;
using System.Globalization;
using LanTalk.Server.Settings;

namespace LanTalk.Server.History;

/// <summary>
/// `lantalk-server history bench`: appends to a throw-away history.db from many concurrent writers, each awaiting
/// its acknowledgement before the next append (as a chat sender awaits its echo), and reports appends/s, how the
/// commits were grouped and the acknowledgement latency. With --print-acks it prints "ack ID TEXT" for every
/// acknowledged append: the crash test kills it with SIGKILL and then looks for every printed id.
/// </summary>
public static class HistoryBench
{
    public static async Task<int> RunAsync(string dataDirectory, int count, int writers, bool printAcks, TextWriter output)
    {
        // Retention off: the bench measures appends only.
        var settings = ServerSettings.Default with { HistoryDays = 0, HistoryMaxMessagesPerRoom = 0 };
        await using var store = MessageStore.Open(dataDirectory, settings, startRetention: false);
        long startId = store.LastId;
        long startTransactions = store.Transactions;
        var latencies = new double[count];
        var failures = new int[Enum.GetValues<AppendStatus>().Length];
        var printLock = new Lock();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = w; i < count; i += writers)
            {
                // 64 bytes, the size the load harness sends.
                string text = $"bench w{w}-{i} ".PadRight(64, '.');
                long started = Stopwatch.GetTimestamp();
                var result = await store.AppendRoomAsync("bench", "w" + w.ToString(CultureInfo.InvariantCulture), text).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!result.IsStored)
                {
                    Interlocked.Increment(ref failures[(int)result.Status]);
                }
                else if (printAcks)
                {
                    lock (printLock)
                    {
                        output.WriteLine($"ack {result.Id} w{w}-{i}");
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        double seconds = clock.Elapsed.TotalSeconds;
        double cpuMicros = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long transactions = store.Transactions - startTransactions;
        Array.Sort(latencies);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"history bench: {count} appends by {writers} writers in {seconds:0.00} s: {count / seconds:0} appends/s; " +
            $"{transactions} commits ({(double)count / Math.Max(1, transactions):0.0} appends per commit); " +
            $"ack latency p50 {Percentile(latencies, 0.50):0.00} ms, p99 {Percentile(latencies, 0.99):0.00} ms, max {latencies[^1]:0.00} ms; " +
            $"{cpuMicros / count:0.0} µs of CPU and {(double)allocated / count:0} bytes allocated per append (the bench's own included); " +
            $"ids {startId + 1}..{store.LastId}; {new FileInfo(store.FilePath).Length / 1024 / 1024} MB"));
        int failed = failures.Sum();
        if (failed > 0)
        {
            output.WriteLine($"history bench: {failed} append(s) not stored: " +
                string.Join(", ", Enum.GetValues<AppendStatus>().Where(s => failures[(int)s] > 0).Select(s => $"{failures[(int)s]} {s}")));
            return 1;
        }

        return 0;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
