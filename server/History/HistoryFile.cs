using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>Where history.db lives, how connections to it are opened, and how SQLite's failures read to an operator.</summary>
internal static class HistoryFile
{
    public const string FileName = "history.db";

    // SQLite's primary result codes (sqlite3.h) that mean "the file is not usable as it is".
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private const int SqliteCantOpen = 14;
    private const int SqlitePermission = 3;
    private const int SqliteReadOnly = 8;
    private const int SqliteFull = 13;
    private const int SqliteIoError = 10;

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>
    /// A connection string for <paramref name="path"/>. Readers pool their connections (a query then costs no open);
    /// the writer and the command-line tools open one unpooled connection, so closing it really closes the file.
    /// </summary>
    public static string ConnectionString(string path, SqliteOpenMode mode, bool pooled = false) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = pooled,
        // Seconds a statement waits on a lock held by another connection (a checkpoint, a backup) before SQLITE_BUSY.
        DefaultTimeout = 5,
    }.ToString();

    /// <summary>Creates an empty file readable by the owner only: history holds private messages. SQLite gives its -wal and -shm files the same mode.</summary>
    public static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by someone else in between: use theirs.
        }
    }

    /// <summary>
    /// A directory where history.db belongs is a mistake, not a read-only disk: without this check the create failed
    /// with "already exists" and the server ran with history off, storing nothing.
    /// </summary>
    public static void RefuseDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            throw new HistoryStoreException($"{path} is a directory, not a file. Move it out of the data directory; the server then starts with an empty history (or copy a backup of {FileName} there)");
        }
    }

    /// <summary>
    /// SQLite opens a file it may not write read-only without a word, and that connection stays read-only: the server
    /// started, said nothing, and refused every message with StorageUnavailable even after the file was made
    /// writable. A read-only file in a writable directory is a wrong owner or mode, so the start stops here.
    /// </summary>
    public static void RefuseReadOnly(string path)
    {
        try
        {
            using var _ = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HistoryStoreException($"{path} cannot be opened for writing ({ex.Message.TrimEnd('.')}). Make it writable by the account the server runs as (chown, chmod u+w, chattr -i), or move it away to begin an empty history", ex);
        }
    }

    /// <summary>True for the failures that mean "cannot write now" (disk full, read-only, I/O error) rather than a bug.</summary>
    public static bool IsStorageFailure(Exception ex) => ex switch
    {
        SqliteException s => s.SqliteErrorCode is SqliteFull or SqliteIoError or SqliteReadOnly or SqliteCantOpen or SqlitePermission or SqliteCorrupt
            or 5 /* BUSY: another process holds the write lock */ or 6 /* LOCKED */,
        IOException or UnauthorizedAccessException => true,
        _ => false,
    };

    /// <summary>Turns an open-time failure into one line naming the file, what is wrong and what to do.</summary>
    public static HistoryStoreException Explain(string path, Exception ex)
    {
        string fix = ex switch
        {
            SqliteException { SqliteErrorCode: SqliteNotADatabase or SqliteCorrupt } =>
                "is not a readable SQLite database (damaged, or another kind of file). Stop the server, move the file (and any " +
                $"{FileName}-wal and {FileName}-shm beside it) out of the data directory, then restore a backup there or start " +
                "without one to begin an empty history",
            SqliteException { SqliteErrorCode: SqliteCantOpen or SqlitePermission or SqliteReadOnly } or UnauthorizedAccessException =>
                "cannot be opened for writing. Check that the file and its directory belong to the account the server runs as and are writable",
            SqliteException { SqliteErrorCode: SqliteFull } => "cannot be written: the disk is full. Free some space",
            _ => "cannot be opened",
        };
        string detail = ex is SqliteException sqlite ? $"SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message}" : ex.Message;
        // A disk that cannot be written now may be writable later; a damaged or newer file will not mend itself.
        bool unwritable = ex is IOException or UnauthorizedAccessException
            || ex is SqliteException { SqliteErrorCode: SqliteCantOpen or SqlitePermission or SqliteReadOnly or SqliteFull };
        return new HistoryStoreException($"{path}: {fix} ({detail})", ex) { Unwritable = unwritable };
    }
}
