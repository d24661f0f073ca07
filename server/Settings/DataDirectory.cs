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
            return CommandLinePath.Full(fromCommandLine, $"--data {fromCommandLine}");
        }

        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return CommandLinePath.Full(fromEnvironment, $"${EnvironmentVariable} {fromEnvironment}");
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

    /// <summary>
    /// <see cref="Resolve(string?)"/>, refusing a path that can never be a directory. Without it `--data /etc/hostname`
    /// said only "The file '/etc/hostname' already exists." (exit 1), from the first attempt to create it.
    /// </summary>
    /// <exception cref="DataDirectoryException">A file is where the directory or one of its parents should be.</exception>
    /// <param name="newTree">True for `service install`, where a new data directory is set up on purpose (it prints the
    /// command that creates it): a path whose parents are missing too is fine there.</param>
    public static string ResolveChecked(string? fromCommandLine, bool newTree = false)
    {
        string path = Resolve(fromCommandLine);
        if (Problem(path) is { } problem)
        {
            throw new DataDirectoryException($"{Label(fromCommandLine, path)}: {problem}");
        }

        // A path the operator gave may name a new directory, not a new tree: a typo in a parent (--data
        // /srv/lantlak/data) silently started an empty server with no accounts, where everyone's login then failed
        // (a UX audit, 2026-12-05). Data/ beside the executable always has its parent.
        bool given = !string.IsNullOrWhiteSpace(fromCommandLine) || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable));
        if (given && !newTree && !Directory.Exists(path) && Path.GetDirectoryName(path) is { } parent && !Directory.Exists(parent))
        {
            throw new DataDirectoryException($"{Label(fromCommandLine, path)}: neither it nor its parent {parent} exists. Only the last directory of the path is created, "
                + $"so that a mistyped path does not start an empty server with no accounts: check the path, or create the parent first (mkdir -p {parent})");
        }

        return path;
    }

    /// <summary>
    /// <see cref="ResolveChecked"/> for the commands that work on a server's existing data ('user', 'config check'),
    /// refusing a directory that does not exist: 'user add --data /typo' made a new, empty data directory and put the
    /// account there, where the running server never looked (a sysadmin audit, 2026-12-06).
    /// </summary>
    /// <param name="mayCreateDefault">True for 'user add': the default Data/ beside the executable may be created, as
    /// the first account of a first run (README's quick start and Windows steps) is added before the server ever ran.</param>
    /// <exception cref="DataDirectoryException">The directory does not exist (or cannot be one).</exception>
    public static string ResolveExisting(string? fromCommandLine, bool mayCreateDefault)
    {
        string path = ResolveChecked(fromCommandLine);
        if (Directory.Exists(path))
        {
            return path;
        }

        bool fromEnvironment = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable));
        string source = !string.IsNullOrWhiteSpace(fromCommandLine) ? "given with --data"
            : fromEnvironment ? $"from ${EnvironmentVariable}"
            : "the default, Data/ beside the executable";
        if (mayCreateDefault && string.IsNullOrWhiteSpace(fromCommandLine) && !fromEnvironment)
        {
            return path;
        }

        throw new DataDirectoryException($"the data directory {path} ({source}) does not exist. This command works on the data directory "
            + "of a server and creates none, so that nothing lands where the server never looks: pass --data with the server's directory "
            + "(for a service, the one after --data in its unit's ExecStart line: systemctl cat lantalk), or set LANTALK_DATA to it");
    }

    /// <summary>Why <paramref name="path"/> cannot be the data directory, or null when it is one or can be created.</summary>
    public static string? Problem(string path)
    {
        if (Directory.Exists(path))
        {
            return null;
        }

        if (Path.Exists(path))
        {
            return "is a file, not a directory; give a directory (it is created if missing)";
        }

        for (string? parent = Path.GetDirectoryName(path); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
            {
                return null;
            }

            if (Path.Exists(parent))
            {
                return $"{parent} is a file, not a directory, so nothing can be created under it; give a directory (it is created if missing)";
            }
        }

        return null;
    }

    /// <summary>How the operator named the directory, so the message points at what to change.</summary>
    private static string Label(string? fromCommandLine, string path) =>
        !string.IsNullOrWhiteSpace(fromCommandLine) ? $"--data {fromCommandLine}"
            : !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable)) ? $"${EnvironmentVariable} {path}"
            : $"the data directory {path}";

    /// <summary>Creates the directory, owner and group only, at the moment something must be written to it.</summary>
    public static void EnsureExists(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (Problem(path) is { } problem)
        {
            throw new DataDirectoryException($"{path}: {problem}");
        }

        try
        {
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // .NET's own words name a parent ("Could not find file '/proc/nope'") and no fix.
            throw new DataDirectoryException($"{path}: the data directory cannot be created ({ex.Message.TrimEnd('.')}); give a directory that exists, or one whose parent can be written (it is created if missing)");
        }
    }
}
