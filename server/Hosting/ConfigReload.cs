using LanTalk.Server.Cli;
using LanTalk.Server.Logging;
using LanTalk.Server.Settings;
using NLog;

namespace LanTalk.Server.Hosting;

/// <summary>
/// SIGHUP under `service run` (systemctl reload), the daemon convention of nginx and sshd, and the console's
/// <c>reload</c> in the foreground (where SIGHUP means the terminal closed, so it stops): NLog.config is loaded again, and Settings.xml is read and validated again. The settings the server reads at each use (limits and
/// timeouts) take effect at once; the others (port, TLS, frame sizes, ...) are named as needing a restart. A file
/// with an error changes nothing: the server keeps running on what it had, and says why.
/// </summary>
internal static class ConfigReload
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Host");

    /// <summary>The elements a running server applies live: each is read from ChatServer.Settings at every use.</summary>
    internal static readonly string[] LiveElements =
    [
        "MaxClients", "MaxPendingLogins", "MaxPendingLoginsPerAddress", "MaxConnectionsPerAddress",
        "LoginTimeoutSeconds", "IdleTimeoutSeconds", "AllowRegistration",
    ];

    private static readonly Lock s_lock = new();

    /// <summary>
    /// Reloads; a failure of any kind is logged and leaves the running server as it was. <paramref name="trigger"/>
    /// names what asked for it in the log: SIGHUP, or the operator console's <c>reload</c>.
    /// </summary>
    public static void TryReload(RunningServer running, CommandLine command, ConsoleStyle console, string trigger = "SIGHUP")
    {
        try
        {
            Reload(running, command, console, trigger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            OperatorAlert.Warn(s_log, $"Reload failed, the running configuration stays: {ex.Message}");
        }
    }

    public static void Reload(RunningServer running, CommandLine command, ConsoleStyle console, string trigger = "SIGHUP")
    {
        // One reload at a time: two quick SIGHUPs (or a SIGHUP and the console's reload) must not interleave two configurations.
        lock (s_lock)
        {
            s_log.Info("{Trigger}: reloading {Settings} and {NLog}", trigger, SettingsFile.FileName, LogSetup.ConfigFileName);
            var current = running.Server.Settings;
            ReloadLogging(running.DataDirectory, current.LogDirectory, console);
            ReloadSettings(running, command, current);
        }
    }

    private static void ReloadLogging(string dataDirectory, string logDirectory, ConsoleStyle console)
    {
        var previous = LogManager.Configuration;
        try
        {
            string logging = LogSetup.Configure(dataDirectory, logDirectory, console);
            s_log.Info("Logging reloaded: {Logging}", logging);
        }
        catch (NLogConfigurationException ex)
        {
            LogManager.Configuration = previous;
            OperatorAlert.Warn(s_log, $"{Path.Combine(dataDirectory, LogSetup.ConfigFileName)} was not reloaded, the previous logging stays: {ex.Message}{(ex.InnerException is { } inner ? ": " + inner.Message : string.Empty)}");
        }
    }

    private static void ReloadSettings(RunningServer running, CommandLine command, ServerSettings current)
    {
        ServerSettings fresh;
        try
        {
            var loaded = SettingsFile.Load(running.DataDirectory);
            if (loaded.SourceFile is null && !running.SettingsFromFile)
            {
                // Started without the file and still without it (a SIGHUP from logrotate or `systemctl reload`): the
                // defaults stay, and there is nothing to put back.
                s_log.Info("No {File} in {DataDirectory}: still running on built-in defaults", SettingsFile.FileName, running.DataDirectory);
                return;
            }

            if (loaded.SourceFile is null)
            {
                // At start a missing file means "all defaults", but at a reload it is far more likely a file being
                // replaced, moved or deleted by mistake: applying the defaults then quietly cut MaxClients to 32.
                OperatorAlert.Warn(s_log, $"Settings were not reloaded, the running ones stay: {Path.GetFullPath(Path.Combine(running.DataDirectory, SettingsFile.FileName))} does not exist. "
                    + "Put it back and reload again; to run on the built-in defaults, restart the server without it");
                return;
            }

            fresh = ServerStartup.ApplyOverrides(loaded.Settings, command);
        }
        catch (SettingsException ex)
        {
            OperatorAlert.Warn(s_log, $"Settings were not reloaded, the running ones stay: {ex.Message}");
            return;
        }

        var (merged, applied, needRestart) = Merge(current, fresh);
        foreach (var (element, _, problem) in SettingRules.CrossChecks(merged))
        {
            if (problem is not null)
            {
                OperatorAlert.Warn(s_log, $"Settings were not reloaded, the running ones stay: with the other running values, {problem}");
                return;
            }
        }

        running.Server.ApplySettings(merged);
        running.SettingsFromFile = true;
        s_log.Info(applied.Count == 0 ? "Settings reloaded: nothing that applies live changed" : "Settings reloaded, applied now: {Applied}", string.Join(", ", applied));
        if (needRestart.Count > 0)
        {
            OperatorAlert.Warn(s_log, $"These changed settings take effect only after a restart: {string.Join(", ", needRestart)}");
        }
    }

    /// <summary>The running settings with the live elements taken from <paramref name="fresh"/>; lists what changed.</summary>
    internal static (ServerSettings Merged, List<string> Applied, List<string> NeedRestart) Merge(ServerSettings current, ServerSettings fresh)
    {
        var merged = current;
        var applied = new List<string>();
        var needRestart = new List<string>();
        foreach (var rule in SettingRules.All)
        {
            string before = rule.Show(current);
            string after = rule.Show(fresh);
            if (before == after)
            {
                continue;
            }

            if (LiveElements.Contains(rule.Element))
            {
                merged = rule.TryApply(merged, after) ?? merged;
                applied.Add($"{rule.Element} {before} -> {after}");
            }
            else
            {
                needRestart.Add($"{rule.Element} ({before} -> {after})");
            }
        }

        return (merged, applied, needRestart);
    }
}
