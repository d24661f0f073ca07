using NLog;
using NLog.Config;
using NLog.Targets;

namespace LanTalk.Server.Logging;

/// <summary>
/// The logging configuration used when Data/NLog.config is missing; the same as the shipped file. Built in code,
/// with the targets created by <c>new</c>, so nothing is looked up by name (trimming and AOT stay warning-free).
/// </summary>
public static class FallbackLogConfig
{
    public const string FileName = "lantalk-server.log";

    /// <summary>The size at which a day's file is moved aside early (100 MB).</summary>
    public const long MaxFileBytes = 100L * 1024 * 1024;

    // Days of archived log files kept: two weeks of history without a logrotate rule.
    public const int ArchiveDays = 14;

    private const string ConsoleLayout = "${date:format=yyyy-MM-dd HH\\:mm\\:ss.fff} ${level:uppercase=true:padding=-5} ${message}${onexception:inner= ${exception:format=message}}";
    private const string FileLayout = "${longdate} ${level:uppercase=true:padding=-5} ${logger} ${message}${onexception:inner=${newline}${exception:format=tostring}}";

    // journald stamps each line itself and reads the "<N>" syslog priority, so `journalctl -p warning` works.
    private const string JournalLayout = "<${" + JournalPriority.Name + "}>${level:uppercase=true:padding=-5} ${message}${onexception:inner= ${exception:format=message}}";

    public static LoggingConfiguration Create(string logDirectory, ConsoleStyle style)
    {
        var config = new LoggingConfiguration();
        var console = CreateConsole(style);
        var file = new WholeLineFileTarget("file")
        {
            FileName = Path.Combine(logDirectory, FileName),
            // The same name as the file: NLog 6 then moves the day's file aside at midnight and goes on writing
            // lantalk-server.log, the name the server prints at start. Without it NLog rolls on to
            // lantalk-server_01.log and the file named at start goes silent (an ops audit, 2026-12-05).
            ArchiveFileName = Path.Combine(logDirectory, FileName),
            ArchiveEvery = FileArchivePeriod.Day,
            // A day's file is bounded too: a client looping throttled logins made it grow about 1 MB/s on the disk
            // that holds history.db (a soak audit, 2026-12-07). With the 14 files kept, at most about 1.5 GB.
            ArchiveAboveSize = MaxFileBytes,
            MaxArchiveFiles = ArchiveDays,
            KeepFileOpen = true,
            Layout = FileLayout,
        };
        // A failed start's line goes to the file only: the console has it already, from stderr (LogSetup.RecordStartFailure).
        config.AddRule(new LoggingRule(LogSetup.StartFailureLogger, LogLevel.Info, LogLevel.Fatal, file) { Final = true });
        config.AddRule(LogLevel.Info, LogLevel.Fatal, console);
        config.AddRule(LogLevel.Info, LogLevel.Fatal, file);
        return config;
    }

    /// <summary>Colors for a person at a terminal; plain lines for redirected output; priorities for journald.</summary>
    /// <remarks>Colors as ANSI codes in the text (see <see cref="LogSetup.ColorsInline"/>).</remarks>
    public static Target CreateConsole(ConsoleStyle style, string name = "console") => style switch
    {
        ConsoleStyle.Colored => new ColoredConsoleTarget(name) { Layout = ConsoleLayout, EnableAnsiOutput = true },
        ConsoleStyle.Journal => new ConsoleTarget(name) { Layout = JournalLayout },
        _ => new ConsoleTarget(name) { Layout = ConsoleLayout },
    };
}
