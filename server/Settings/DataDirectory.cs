namespace LanTalk.Server.Settings;

/// <summary>Where Settings.xml, NLog.config, Users.xml, logs and the certificate live.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "LANTALK_DATA";

    /// <summary>
    /// --data, else $LANTALK_DATA, else the checkout's Data/ when this is a build inside a source checkout
    /// (server/bin/...), else Data/ next to the executable; always an absolute path.
    /// </summary>
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

        return SourceCheckoutData(baseDirectory) ?? Path.GetFullPath(Path.Combine(baseDirectory, "Data"));
    }

    /// <summary>
    /// For a build in a source checkout (CHECKOUT/server/bin/CONFIG/TFM/), CHECKOUT/Data: `make run` serves that
    /// directory, so `dotnet run --project server -- user add` must edit the same Users.xml, not a copy hidden
    /// under bin/. A published or copied executable is not under server/bin and keeps Data/ beside itself.
    /// </summary>
    public static string? SourceCheckoutData(string baseDirectory)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(baseDirectory));
        for (var current = directory; current?.Parent is { } parent; current = parent)
        {
            if (current.Name == "bin" && parent.Name == "server" && parent.Parent is { } checkout
                && File.Exists(Path.Combine(checkout.FullName, "LanTalk.sln")))
            {
                return Path.Combine(checkout.FullName, "Data");
            }
        }

        return null;
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
