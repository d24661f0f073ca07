using System.Collections.Concurrent;
using NLog;
using NLog.Config;
using NLog.Targets;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The INFO and higher lines of the account store's logger (or another: <c>logger</c>) that name one path (a test's own data directory): NLog's
/// loggers are process-wide, so a line is this test's by the file it names. Removed again on Dispose.
/// </summary>
internal sealed class UsersLogRecorder : Target, IDisposable
{
    private readonly string _path;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly LoggingRule _rule;

    public UsersLogRecorder(string path, string logger = "LanTalk.Server.Users")
    {
        _path = path;
        Name = "users-log-" + Guid.NewGuid().ToString("N");
        _rule = new LoggingRule(logger, LogLevel.Info, LogLevel.Fatal, this);
        var config = LogManager.Configuration ?? new LoggingConfiguration();
        config.LoggingRules.Add(_rule);
        LogManager.Configuration = config;
        LogManager.ReconfigExistingLoggers();
    }

    /// <summary>"LEVEL message" for each line so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public new void Dispose()
    {
        if (LogManager.Configuration is { } config)
        {
            config.LoggingRules.Remove(_rule);
            LogManager.ReconfigExistingLoggers();
        }

        base.Dispose();
    }

    protected override void Write(LogEventInfo logEvent)
    {
        if (logEvent.FormattedMessage.Contains(_path, StringComparison.Ordinal))
        {
            _lines.Enqueue($"{logEvent.Level.Name.ToUpperInvariant()} {logEvent.FormattedMessage}");
        }
    }
}
