namespace LanTalk.Client.Settings;

/// <summary>
/// Where lantalk keeps its files: settings in the roaming configuration folder, the archive in the local data
/// folder. Injectable, so tests use a temporary directory instead of the real home.
/// </summary>
internal sealed record AppPaths(string ConfigDirectory, string DataDirectory)
{
    public string SettingsFile => Path.Combine(ConfigDirectory, "Settings.xml");

    /// <summary>Trusted server fingerprints, beside the settings.</summary>
    public string KnownServersFile => Path.Combine(ConfigDirectory, "known_servers");

    public string ArchiveRoot => DataDirectory;

    /// <summary>~/.config/LanTalk and ~/.local/share/LanTalk on Linux (XDG variables respected), %APPDATA% and %LOCALAPPDATA% on Windows.</summary>
    public static AppPaths FromEnvironment()
    {
        string config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        // Without HOME the BCL returns empty strings; the working directory is a better fallback than the filesystem root.
        if (config.Length == 0)
        {
            config = Path.Combine(Environment.CurrentDirectory, ".lantalk");
        }

        if (data.Length == 0)
        {
            data = config;
        }

        return new AppPaths(Path.Combine(config, "LanTalk"), Path.Combine(data, "LanTalk"));
    }
}
