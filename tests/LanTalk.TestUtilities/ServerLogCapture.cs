using System.Collections.Concurrent;
using NLog;
using NLog.Config;
using NLog.Targets;

namespace LanTalk.TestUtilities;

/// <summary>
/// An in-memory NLog target that keeps ERROR and FATAL events per <see cref="TestServer"/>, as MQTTnet's test
/// environment does, so a test fails on a server error it did not expect. NLog's loggers are process-wide and tests
/// run in parallel, so an event is attributed by an NLog scope property that the TestServer pushes around the code
/// that starts, stops and opens the server: the server's tasks, timers and threads inherit it with the
/// ExecutionContext. Work queued without the context (ThreadPool.UnsafeQueueUserWorkItem) is not attributed.
/// </summary>
internal sealed class ServerLogCapture : Target
{
    private const string ScopeKey = "LanTalk.TestServer";
    private const string TargetName = "lantalk-test-server-errors";

    private static readonly ServerLogCapture s_target = new() { Name = TargetName };
    private static readonly ConcurrentDictionary<int, ConcurrentQueue<string>> s_sinks = new();
    private static readonly ConcurrentQueue<Exception> s_unobserved = new();
    private static readonly Lock s_installLock = new();
    private static int s_nextId;

    static ServerLogCapture()
    {
        // Raised on the finalizer thread, so it cannot be attributed to one server; whoever checks next reports it.
        TaskScheduler.UnobservedTaskException += (_, e) => s_unobserved.Enqueue(e.Exception);
    }

    /// <summary>A new sink; events logged under <see cref="Scope"/> with this id land in it.</summary>
    public static int Register()
    {
        Install();
        int id = Interlocked.Increment(ref s_nextId);
        s_sinks[id] = new ConcurrentQueue<string>();
        return id;
    }

    public static IDisposable Scope(int id)
    {
        // Unit tests replace LogManager.Configuration (LoggingTests, config reload); put the target back if so.
        Install();
        return ScopeContext.PushProperty(ScopeKey, id);
    }

    /// <summary>The error lines of server <paramref name="id"/> so far; collecting goes on.</summary>
    public static IReadOnlyList<string> Peek(int id) => s_sinks.TryGetValue(id, out var sink) ? sink.ToArray() : [];

    /// <summary>The error lines of server <paramref name="id"/>, and stops collecting them.</summary>
    public static IReadOnlyList<string> Unregister(int id) =>
        s_sinks.TryRemove(id, out var sink) ? sink.ToArray() : [];

    /// <summary>Unobserved task exceptions since the last call, after a full collection has run the finalizers.</summary>
    public static IReadOnlyList<Exception> TakeUnobservedTaskExceptions()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var taken = new List<Exception>();
        while (s_unobserved.TryDequeue(out var ex))
        {
            taken.Add(ex);
        }

        return taken;
    }

    protected override void Write(LogEventInfo logEvent)
    {
        // Not wrapped in an AsyncTargetWrapper, so this runs on the logging thread and sees its scope.
        if (ScopeContext.TryGetProperty(ScopeKey, out var value) && value is int id && s_sinks.TryGetValue(id, out var sink))
        {
            string line = $"{logEvent.Level.Name.ToUpperInvariant()} {logEvent.LoggerName}: {logEvent.FormattedMessage}";
            sink.Enqueue(logEvent.Exception is null ? line : $"{line} | {logEvent.Exception.GetType().Name}: {logEvent.Exception.Message}");
        }
    }

    private static void Install()
    {
        lock (s_installLock)
        {
            var config = LogManager.Configuration;
            if (config?.FindTargetByName(TargetName) is not null)
            {
                return;
            }

            if (config is null)
            {
                config = new LoggingConfiguration();
                config.AddRule(LogLevel.Error, LogLevel.Fatal, s_target);
                LogManager.Configuration = config;
            }
            else
            {
                config.AddRule(LogLevel.Error, LogLevel.Fatal, s_target);
                LogManager.ReconfigExistingLoggers();
            }
        }
    }
}
