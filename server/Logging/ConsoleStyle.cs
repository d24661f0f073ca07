namespace LanTalk.Server.Logging;

/// <summary>How the built-in logging configuration writes to the console.</summary>
public enum ConsoleStyle
{
    /// <summary>Timestamped lines without colors: redirected output, pipes, plain supervisors.</summary>
    Plain,

    /// <summary>Colored by level: a person at a terminal.</summary>
    Colored,

    /// <summary>Under systemd: "&lt;N&gt;" syslog priority prefixes and no timestamp (journald adds its own).</summary>
    Journal,
}
