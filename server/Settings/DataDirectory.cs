namespace LanTalk.Server.Settings;

/// <summary>Where Settings.xml, NLog.config, Users.xml, logs and the certificate live.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "LANTALK_DATA";

    /// <summary>--data, else $LANTALK_DATA, else Data/ next to the executable; always an absolute path.</summary>
    public static string Resolve(string? fromCommandLine, string? fromEnvironment, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(fromCommandLine))
        {
            return Path.GetFullPath(fromCommandLine);
        }

        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return Path.GetFullPath(Path.Combine(baseDirectory, "Data"));
    }

    public static string Resolve(string? fromCommandLine) =>
        Resolve(fromCommandLine, Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory);

    /// <summary>Creates the directory, owner and group only, at the moment something must be written to it.</summary>
    public static void EnsureExists(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // It holds password hashes and the TLS key: no access for others.
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }
}
