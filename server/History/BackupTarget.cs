using LanTalk.Server.Hosting;
using LanTalk.Server.Logging;
using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.History;

/// <summary>
/// The paths `lantalk-server backup` must not write. The copy replaces its target by rename, so a target that is one
/// of the server's own files destroyed it: onto history.db-wal, every message acknowledged since the last checkpoint
/// was gone after the next kill -9; onto Users.xml, the accounts file became a SQLite file and the next start failed;
/// onto a lock file, a second server started on the same data directory.
/// </summary>
internal static class BackupTarget
{
    /// <summary>Links are followed at most this deep, as Linux's own path lookup does (ELOOP).</summary>
    private const int MaxLinkDepth = 40;

    /// <summary>Throws when <paramref name="full"/> (an absolute path) is, or would become, a file the server uses.</summary>
    /// <exception cref="HistoryStoreException">The message names the file, what it is and where to back up instead.</exception>
    public static void RefuseServerFile(string dataDirectory, string full)
    {
        // Both sides with every link and ".." resolved: a link to the data directory, or a path through one, names
        // the same files as the data directory itself.
        string data = ResolveDirectory(Path.GetFullPath(dataDirectory), 0);
        string target = Resolve(full, 0);
        if (ServerFile(data, target) is { } what)
        {
            throw new HistoryStoreException(
                $"{full} is {what}, which the server uses; the backup replaces its target and would destroy it. Back up to a file outside the data directory {data}, such as /var/backups/lantalk-history.db");
        }
    }

    /// <summary>
    /// Throws when <paramref name="full"/> is an existing, non-empty file that is not a SQLite database: whatever it
    /// is (a log, a document, a file the server uses under another name), it is not an earlier backup to replace.
    /// Call it once the target is known to be a regular file (reading a FIFO would block).
    /// </summary>
    /// <exception cref="HistoryStoreException">The message names the file and the fix.</exception>
    public static void RefuseNonBackup(string full)
    {
        if (File.Exists(full) && new FileInfo(full).Length > 0 && !IsSqlite(full))
        {
            throw new HistoryStoreException(
                $"{full} already exists and is not a SQLite database (an earlier backup would be one); the backup replaces its target, so that file would be lost. Give the backup a new file name, or move that file away first if it is not needed");
        }
    }

    /// <summary>What <paramref name="target"/> is to the server in <paramref name="data"/>, in words; null when it is none of its files.</summary>
    private static string? ServerFile(string data, string target)
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        string? folder = Path.GetDirectoryName(target);
        string name = Path.GetFileName(target);
        foreach (string logs in LogDirectories(data))
        {
            if (Under(target, logs, comparison))
            {
                return $"in the server's log directory {logs}";
            }
        }

        if (folder is null || !Under(folder, data, comparison))
        {
            return null;
        }

        if (name.EndsWith(".log", comparison))
        {
            return "a log file in the data directory";
        }

        if (!string.Equals(folder, data, comparison))
        {
            return null;
        }

        string history = HistoryFile.FileName;
        return name switch
        {
            _ when Is(name, history) => "the live message history",
            _ when Is(name, history + "-wal") || Is(name, history + "-shm") || Is(name, history + "-journal") => "part of the live message history (SQLite's write-ahead log, shared memory or journal)",
            _ when Is(name, history + IdReservation.Suffix) => "the record of the message ids handed out",
            _ when Is(name, history + ".lock") || Is(name, UsersFile.FileName + ".lock") || Is(name, DataDirectoryLock.FileName) => "a lock file through which only one server uses the data directory",
            _ when Is(name, UsersFile.FileName) => "the accounts file",
            _ when Is(name, RoomsFile.FileName) => "the rooms file",
            _ when Is(name, SettingsFile.FileName) => "the settings file",
            _ when Is(name, LogSetup.ConfigFileName) => "the logging configuration",
            _ when Is(name, Tls.ServerCertificate.GeneratedCertificateFile) || Is(name, Tls.ServerCertificate.GeneratedKeyFile) || Is(name, Tls.FingerprintRecord.FileName) => "part of the server's TLS identity",
            _ => null,
        };

        bool Is(string actual, string expected) => string.Equals(actual, expected, comparison);
    }

    /// <summary>logs/ under the data directory, and the LogDirectory Settings.xml names when it can be read.</summary>
    private static IEnumerable<string> LogDirectories(string data)
    {
        yield return Path.Combine(data, ServerSettings.Default.LogDirectory);
        string? configured = null;
        try
        {
            configured = SettingsFile.Load(data).Settings.LogDirectory;
        }
        catch (Exception ex) when (ex is SettingsException or IOException or UnauthorizedAccessException)
        {
            // A settings file the server cannot read either: the default above and the *.log rule still apply.
        }

        if (configured is not null)
        {
            yield return ResolveDirectory(Path.GetFullPath(configured, data), 0);
        }
    }

    private static bool Under(string path, string directory, StringComparison comparison) =>
        string.Equals(path, directory, comparison)
        || path.StartsWith(Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar, comparison);

    private static bool IsSqlite(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[16];
            return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.SequenceEqual(HistoryFileShape.Magic);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable: the copy's own write reports what is wrong there.
            return true;
        }
    }

    /// <summary>
    /// <paramref name="path"/> (absolute) with every symbolic link among its directories resolved, as realpath does
    /// for the part that exists; the last component is kept as named (a link there is refused on its own).
    /// </summary>
    private static string Resolve(string path, int depth)
    {
        string? parent = Path.GetDirectoryName(path);
        if (parent is null || depth > MaxLinkDepth)
        {
            return path;
        }

        string folder = ResolveDirectory(parent, depth);
        return Path.Combine(folder, Path.GetFileName(path));
    }

    private static string ResolveDirectory(string directory, int depth)
    {
        string here = Resolve(directory, depth);
        try
        {
            var info = new DirectoryInfo(here);
            if (info.LinkTarget is null)
            {
                return here;
            }

            return info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? ResolveDirectory(target.FullName, depth + 1) : here;
        }
        catch (IOException)
        {
            // A loop of links: nothing can be written through it anyway.
            return here;
        }
    }
}
