namespace LanTalk.Client.Tests.Support;

/// <summary>The shell command that runs the built lantalk (or lantalk-server) in tmux, with its files in a test home.</summary>
internal static class LantalkCommand
{
    /// <summary>A project's build output is copied next to the tests: the apphost, or the dll for 'dotnet'.</summary>
    public static string Executable(string name)
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? name + ".exe" : name);
        return File.Exists(apphost) ? Quote(apphost) : "dotnet " + Quote(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
    }

    /// <summary>lantalk with <paramref name="arguments"/>, settings and archive under <paramref name="home"/>; prints EXIT=code when it ends.</summary>
    public static string Chat(TempDirectory home, string arguments, string environment = "") =>
        $"env XDG_CONFIG_HOME={Quote(ConfigDirectory(home))} XDG_DATA_HOME={Quote(Path.Combine(home.Path, "data"))} TZ=UTC {environment} " +
        $"{Executable("lantalk")} {arguments}; echo EXIT=$?; sleep 60";

    public static string ConfigDirectory(TempDirectory home) => Path.Combine(home.Path, "config");

    /// <summary>Writes lantalk's Settings.xml before it starts, e.g. a short reconnect cap.</summary>
    public static void WriteSettings(TempDirectory home, string elements)
    {
        string folder = Path.Combine(ConfigDirectory(home), "LanTalk");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Settings.xml"), $"<LanTalkClient version=\"1\">{elements}</LanTalkClient>");
    }

    public static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
