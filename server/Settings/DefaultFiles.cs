namespace LanTalk.Server.Settings;

/// <summary>
/// The shipped Data/Settings.xml and Data/NLog.config, embedded in the executable so a single-file binary can
/// print them (config show-defaults). GetManifestResourceStream is AOT-safe: the names are fixed at build time.
/// </summary>
public static class DefaultFiles
{
    public const string SettingsResource = "LanTalk.Server.Defaults.Settings.xml";
    public const string NLogResource = "LanTalk.Server.Defaults.NLog.config";

    public static string Settings => Read(SettingsResource);

    public static string NLogConfig => Read(NLogResource);

    private static string Read(string name)
    {
        using var stream = typeof(DefaultFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
