using LanTalk.Server.History;
using LanTalk.Server.Logging;
using LanTalk.Server.Settings;
using NLog;
using NLog.Config;

namespace LanTalk.Server.Cli;

/// <summary>`config show-defaults` prints the embedded shipped files; `config check` validates the operator's Settings.xml.</summary>
public static class ConfigCommands
{
    public static int ShowDefaults(string which, TextWriter output)
    {
        if (which is "settings" or "all")
        {
            output.Write(DefaultFiles.Settings);
        }

        if (which is "nlog" or "all")
        {
            output.Write(DefaultFiles.NLogConfig);
        }

        return ExitCodes.Ok;
    }

    public static int Check(string dataDirectory, TextWriter output, TextWriter errors)
    {
        LoadedSettings loaded;
        try
        {
            loaded = SettingsFile.Load(dataDirectory);
        }
        catch (SettingsException ex)
        {
            errors.WriteLine($"lantalk-server: settings: {ex.Message}");
            return ExitCodes.Usage;
        }

        foreach (var warning in loaded.Warnings)
        {
            errors.WriteLine($"warning: {warning}");
        }

        if (CheckLogging(dataDirectory, errors) is { } failed)
        {
            return failed;
        }

        output.WriteLine($"Settings: {loaded.Description}");
        int width = SettingRules.All.Max(r => r.Element.Length);
        foreach (var rule in SettingRules.All)
        {
            string value = rule.Show(loaded.Settings);
            string mark = value == rule.Show(ServerSettings.Default) ? string.Empty : "   (changed from the default " + rule.Show(ServerSettings.Default) + ")";
            output.WriteLine($"  {rule.Element.PadRight(width)}  {value}{mark}");
        }

        try
        {
            output.WriteLine($"History: {HistoryBackup.Describe(dataDirectory)}");
        }
        catch (HistoryStoreException ex)
        {
            errors.WriteLine($"lantalk-server: history: {ex.Message}");
            return ExitCodes.Usage;
        }

        return ExitCodes.Ok;
    }

    /// <summary>Parses NLog.config the way start-up does, without activating it; null when fine or absent.</summary>
    private static int? CheckLogging(string dataDirectory, TextWriter errors)
    {
        string path = Path.Combine(dataDirectory, LogSetup.ConfigFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        JournalPriority.Register();
        LogManager.ThrowConfigExceptions = true;
        try
        {
            _ = new XmlLoggingConfiguration(path);
            return null;
        }
        catch (NLogConfigurationException ex)
        {
            errors.WriteLine($"lantalk-server: logging: {path}: {ex.Message}{(ex.InnerException is { } inner ? ": " + inner.Message : string.Empty)}");
            return ExitCodes.Usage;
        }
        finally
        {
            LogManager.ThrowConfigExceptions = false;
        }
    }
}
