using NLog;
using NLog.Targets;

namespace LanTalk.Server.Logging;

/// <summary>
/// A warning the operator must see even when NLog.config sends nothing to the console (a changed TLS fingerprint,
/// a log file that cannot be written): it is logged as WARN, and also written to standard error unless a console
/// target already shows it there.
/// </summary>
public static class OperatorAlert
{
    public static void Warn(Logger log, string message)
    {
        // A parameter, not the template: the message often quotes a file or an exception (LogText escapes it).
        log.Warn("{Alert}", message);
        if (!LogsWarningsToConsole(log))
        {
            Console.Error.WriteLine($"lantalk-server: WARNING: {LogText.Escape(message)}");
        }
    }

    /// <summary>True when a console target receives this logger's warnings under the active configuration.</summary>
    public static bool LogsWarningsToConsole(Logger log)
    {
        var config = LogManager.Configuration;
        if (config is null || !log.IsWarnEnabled)
        {
            return false;
        }

        return config.LoggingRules.Any(rule =>
            rule.IsLoggingEnabledForLevel(LogLevel.Warn) && rule.NameMatches(log.Name)
            && rule.Targets.Any(t => t is ConsoleTarget or ColoredConsoleTarget));
    }
}
