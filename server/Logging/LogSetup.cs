using NLog;
using NLog.Config;

namespace LanTalk.Server.Logging;

/// <summary>
/// Starts NLog from Data/NLog.config when the operator has one, else from <see cref="FallbackLogConfig"/>,
/// so a server without a config file still logs to the console and a rolling file instead of staying silent.
/// </summary>
public static class LogSetup
{
    public const string ConfigFileName = "NLog.config";

    /// <summary>The layout renderer the shipped NLog.config uses for the log directory.</summary>
    public const string LogDirectoryItem = "logDirectory";

    /// <summary>What to do about an NLog.config that NLog refused, after NLog's own words on what is wrong.</summary>
    public const string BrokenConfigFix = "Fix that, or delete NLog.config to use the built-in logging configuration ('lantalk-server config show-defaults nlog' prints an example to start from)";

    /// <summary>Returns a one-line description of the configuration in use, for the start-up log.</summary>
    /// <param name="dataDirectory">Where NLog.config is looked for.</param>
    /// <param name="logDirectory">The LogDirectory setting; relative to the data directory.</param>
    /// <param name="console">How the built-in configuration writes to the console.</param>
    /// <exception cref="NLogConfigurationException">NLog.config exists but is broken; the message says where.</exception>
    public static string Configure(string dataDirectory, string logDirectory, ConsoleStyle console)
    {
        LogText.Install();
        JournalPriority.Register();
        WholeLineFileTarget.Register();
        string absoluteLogs = Path.GetFullPath(logDirectory, dataDirectory);
        GlobalDiagnosticsContext.Set(LogDirectoryItem, absoluteLogs);
        string configPath = Path.Combine(dataDirectory, ConfigFileName);
        string description;
        string fix;
        if (History.FileKind.DescribeIfNotAFile(configPath) is { } kind)
        {
            throw new NLogConfigurationException($"{configPath} is {kind}, not a file. Move it away to use the built-in logging configuration.");
        }

        if (File.Exists(configPath))
        {
            // A typo in NLog.config must stop start-up with a message, not leave the server silently logless.
            LogManager.ThrowConfigExceptions = true;
            try
            {
                LogFailureReporter.WhileLoadingConfiguration(() => LogManager.Configuration = new XmlLoggingConfiguration(configPath));
            }
            finally
            {
                LogManager.ThrowConfigExceptions = false;
            }

            description = configPath;
            fix = $"Fix the permissions, or the fileName in {configPath} (or <LogDirectory> in Settings.xml).";
        }
        else
        {
            LogManager.Configuration = FallbackLogConfig.Create(absoluteLogs, console);
            description = $"built-in configuration (no {ConfigFileName}): console and {Path.Combine(absoluteLogs, FallbackLogConfig.FileName)}";
            fix = "Fix the permissions, or set <LogDirectory> in Settings.xml to a writable directory.";
        }

        if (console == ConsoleStyle.Colored)
        {
            ColorsInline(LogManager.Configuration!);
        }

        LogFailureReporter.Install();
        var host = LogManager.GetLogger("LanTalk.Server.Host");
        if (!host.IsInfoEnabled)
        {
            // <nlog></nlog>, or rules that drop lantalk-server's own lines: a server with no output at all cannot be
            // operated, so its lines go to the console and the operator is told why.
            var config = LogManager.Configuration!;
            var fallbackConsole = FallbackLogConfig.CreateConsole(console, "lantalk-fallback-console");
            config.AddRule(LogLevel.Info, LogLevel.Fatal, fallbackConsole, "LanTalk.*");
            LogManager.Configuration = config;
            OperatorAlert.Warn(host, $"{configPath} sends none of lantalk-server's Info lines anywhere, so they go to the console. Add a rule such as <logger name=\"*\" minlevel=\"Info\" writeTo=\"console\" />, or delete the file to use the built-in configuration.");
            description += " (plus the console: it logged nothing)";
        }

        foreach (string problem in LogFileProbe.Problems(LogManager.Configuration!, fix))
        {
            OperatorAlert.Warn(host, problem);
        }

        s_configured = true;
        return description;
    }

    /// <summary>
    /// Makes every coloured console target put its colours in the text as ANSI codes. Otherwise it colours through
    /// Console.ForegroundColor, which writes to the terminal at once, around Console.Out: past the foreground
    /// server's console queue (so blocking on a terminal nobody reads) and past the operator console's editor.
    /// </summary>
    public static void ColorsInline(LoggingConfiguration config)
    {
        foreach (var target in config.AllTargets.OfType<NLog.Targets.ColoredConsoleTarget>())
        {
            target.EnableAnsiOutput = true;
        }
    }

    /// <summary>The logger of <see cref="RecordStartFailure"/>: the built-in configuration sends it to the log file only.</summary>
    public const string StartFailureLogger = "LanTalk.Server.StartFailure";

    // Set once Configure succeeded: from then on a failure has a log file to go to.
    private static volatile bool s_configured;

    /// <summary>
    /// A failure that ends the server (a port in use, an unreadable Users.xml, a history file that cannot open), in
    /// the log file too when logging was already set up. stderr alone reached nobody when the server ran as a Windows
    /// service, and the log a service's operator reads ended with the start-up lines, without a word on why it stopped.
    /// </summary>
    public static void RecordStartFailure(string message)
    {
        if (s_configured)
        {
            LogManager.GetLogger(StartFailureLogger).Fatal("lantalk-server stopped: {Reason}", message);
        }
    }

    /// <summary>Flushes and closes the log files; the last lines before exit are never lost.</summary>
    public static void Shutdown() => LogManager.Shutdown();
}
