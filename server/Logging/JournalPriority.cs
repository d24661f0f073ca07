using NLog;

namespace LanTalk.Server.Logging;

/// <summary>
/// ${lantalk-journal-priority}: the syslog priority digit of a level (err=3, warning=4, info=6, debug=7), which
/// journald reads from a "&lt;N&gt;" line prefix. Registered as a lambda, not a type, so nothing is found by reflection.
/// Usable in an operator's NLog.config too.
/// </summary>
public static class JournalPriority
{
    public const string Name = "lantalk-journal-priority";

    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            LogManager.Setup().SetupExtensions(e => e.RegisterLayoutRenderer(Name, evt => Of(evt.Level)));
        }
    }

    public static string Of(LogLevel level) =>
        level == LogLevel.Fatal ? "2"
        : level == LogLevel.Error ? "3"
        : level == LogLevel.Warn ? "4"
        : level == LogLevel.Info ? "6"
        : "7";
}
