using Microsoft.Data.Sqlite;
using NLog;

namespace LanTalk.Server.History;

/// <summary>Where history.db lives, how connections to it are opened, and how SQLite's failures read to an operator.</summary>
internal static class HistoryFile
{
    public const string FileName = "history.db";

    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

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
    /// A history.db of 0 bytes while history.db.ids says messages were handed out: its contents were lost (a crash
    /// before the data reached the disk, or a restore copied onto a full disk). SQLite takes an empty file for a new
    /// database, so without this the server started with no history, and no stored private messages, without a word.
    /// A missing history.db is different: deleting it is how an operator starts an empty history.
    /// </summary>
    public static void RefuseEmptied(string path, IdReservation ids)
    {
        if (ids.Reserved > 0 && File.Exists(path) && new FileInfo(path).Length == 0)
        {
            throw new HistoryStoreException(
                $"{path} is empty (0 bytes), but {ids.FilePath} shows that messages up to id {ids.Reserved} were stored: the history was lost "
                + $"(a crash, or a copy onto a full disk). Restore a backup over {FileName} (README: History, restore), or delete {FileName} to start with an empty history");
        }
    }

    /// <summary>
    /// A history.db with no LanTalk schema (not even an empty history's tables) while history.db.ids shows ids were
    /// handed out: what held the history is gone. After a kill -9 a young history.db is only its header page and every
    /// commit is in history.db-wal; with that log emptied or deleted, SQLite opened the bare header as a new database,
    /// the migrations built an empty history in it, and every acknowledged message was lost without a word (fault
    /// injection, 2026-12-06). Checked before anything is written. A missing history.db is not this: deleting it is how
    /// an operator starts an empty history, and a 0-byte one is <see cref="RefuseEmptied"/>'s.
    /// </summary>
    public static void RefuseLostLog(SqliteConnection connection, string path, IdReservation ids)
    {
        if (ids.Reserved == 0 || !File.Exists(path) || new FileInfo(path).Length == 0 || HistorySchema.ReadVersion(connection) != 0)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0)
        {
            // Tables of another program: RefuseForeign's case.
            return;
        }

        throw new HistoryStoreException(
            $"{path} holds no history (no LanTalk schema), but {ids.FilePath} shows that message ids up to {ids.Reserved} were handed out: "
            + $"the write-ahead log {path}-wal, which held the history, is missing or empty (deleted or emptied after a crash, or {FileName} copied without it). "
            + $"Nothing was changed. Restore {FileName} together with its {FileName}-wal from where they were copied, or restore a backup over {FileName} (README: History, restore); "
            + $"or, to start the history afresh on purpose, move {FileName}, {FileName}-wal and {FileName}{IdReservation.Suffix} out of the data directory");
    }

    /// <summary>
    /// A directory where history.db belongs is a mistake, not a read-only disk: without this check the create failed
    /// with "already exists" and the server ran with history off, storing nothing.
    /// </summary>
    public static void RefuseDirectory(string path)
    {
        if (FileKind.DescribeIfNotAFile(path) is { } kind)
        {
            throw new HistoryStoreException($"{path} is {kind}, not a file. Move it out of the data directory; the server then starts with an empty history (or copy a backup of {FileName} there)");
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
            throw new HistoryStoreException($"{path} cannot be opened for writing ({ex.Message.TrimEnd('.')}). {PermissionFixFor(path)}", ex);
        }
    }

    /// <summary>What to do about a history.db this account may not read or write, said the same way wherever it is found.</summary>
    /// <param name="path">The file, whose owner a command run as another account is told to run as (see <see cref="Settings.DataFileProblem.RunAsOwner"/>).</param>
    public static string PermissionFixFor(string path) => Settings.DataFileProblem.RunAsOwner(path) ?? PermissionFix;

    /// <summary>As <see cref="PermissionFixFor"/>, for the server or when the file is unknown.</summary>
    public static string PermissionFix => $"Make it readable and writable by the account the server runs as ({Environment.UserName}): "
        + "chown that account the file (with its -wal and -shm), or chmod u+rw, or chattr -i; or move it away to begin an empty history";

    /// <summary>
    /// Refuses a SQLite database that is not a LanTalk history: schema version 0 (never migrated) with tables of its
    /// own. Without this the migrations wrote LanTalk's tables into whatever database had been put there.
    /// </summary>
    public static void RefuseForeign(SqliteConnection connection, string path)
    {
        if (HistorySchema.ReadVersion(connection) != 0)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 5)";
        if (command.ExecuteScalar() is string { Length: > 0 } names)
        {
            throw new HistoryStoreException($"{path}: is a SQLite database, but not a LanTalk history (it holds {names} and no LanTalk schema version). " +
                $"Move it out of the data directory (with any {FileName}-wal and {FileName}-shm beside it); the server then starts an empty history, or restore a LanTalk backup there");
        }
    }

    /// <summary>
    /// Refuses a history.db-wal that does not fit history.db, before any read-write connection exists. A read-write
    /// connection applies the log and, at its close, copies it into history.db and deletes it: a log left from the file
    /// before a restore (the restore's "delete the -wal" step skipped, or the old server had crashed) turned a restored
    /// 9.9 MB history into 57 KB of damage, and took the evidence with it, even in `config check` (fault injection,
    /// 2026-12-04). A read-only connection reads the two together without ever writing history.db, so the check costs
    /// nothing but the quick_check, and only when a log with frames is there (after a crash, or such a mistake).
    /// </summary>
    /// <summary>
    /// SQLite keeps its log (-wal), shared-memory index (-shm) and rollback journal (-journal) beside history.db and
    /// opens them as files. Anything else there (a FIFO, a directory, a link to /dev/null) cannot hold a message, yet
    /// it crashed the start (a -wal FIFO: "Stream does not support seeking") or was blamed on history.db itself, with
    /// the advice to move the history away (fault injection, 2026-12-04). Checked before SQLite opens anything.
    /// </summary>
    public static void RefuseOddCompanions(string path)
    {
        foreach (var (suffix, what) in Companions)
        {
            if (FileKind.DescribeIfNotAFile(path + suffix) is { } kind)
            {
                throw new HistoryStoreException($"{path}{suffix} is {kind}, where SQLite keeps {what} as a file of its own making, so it cannot open {path}. "
                    + $"Move {path}{suffix} out of the data directory (it holds no messages: only a regular file there could), then start again; {FileName} itself is untouched");
            }
        }
    }

    private static readonly (string Suffix, string What)[] Companions =
    [
        ("-wal", "the history's write-ahead log"),
        ("-shm", "the log's shared-memory index"),
        ("-journal", "its rollback journal"),
    ];

    /// <param name="idsPath">history.db.ids, which tells whether history.db.stopped still vouches for the history (<see cref="CleanStopMark"/>).</param>
    /// <returns>
    /// True when it read every page of history.db with its log and found nothing wrong: <see cref="RefuseDamaged"/> would
    /// only read the same pages again (after a kill -9, a start of a 500 MB history took 9.9 s instead of 3.2 s, most
    /// of it the two full reads, and twice the time under systemd's start timeout on a large history).
    /// </returns>
    public static bool RefuseUnfitLog(string path, string idsPath)
    {
        var log = new FileInfo(path + "-wal");
        // 32 bytes of header and at least one 24-byte frame header: anything less holds no page to apply.
        if (!log.Exists || log.Length <= 56)
        {
            return false;
        }

        // First: a log from elsewhere is that, not "damaged" or "does not fit", which both suggest restoring a backup.
        CleanStopMark.RefuseForeignLog(path, idsPath);
        if (WalScan.Problem(log.FullName, out string? unappliedTail) is { } damage)
        {
            throw new HistoryStoreException($"{damage.Why}. The log was not applied and neither file was changed. {damage.Fix}");
        }

        if (unappliedTail is not null)
        {
            // Not a refusal: a power cut must not stop a server nobody watches, and then nothing was lost.
            s_log.Warn("{Tail}", unappliedTail);
        }

        string? problem;
        try
        {
            using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
            connection.Open();
            problem = QuickCheck(connection);
        }
        catch (SqliteException ex) when (IsDamage(ex))
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            throw new HistoryStoreException(
                $"{path}-wal does not fit {path}: read together they are damaged (SQLite: {problem}), so the log was not applied and neither file was changed. "
                + $"If a backup was restored over {FileName}, the log is left from the file before it: delete {FileName}-wal and {FileName}-shm, then start. "
                + $"Otherwise {MoveAwayFix}");
        }

        return true;
    }

    /// <summary>
    /// Refuses a damaged database before anything is written to it. SQLite reads pages only when a query needs them,
    /// so a file with zeroed or missing pages opened fine, took new messages, and failed every history read; quick_check
    /// reads every page once (about 0.1 s per 30 MB here).
    /// </summary>
    public static void RefuseDamaged(SqliteConnection connection, string path)
    {
        if (QuickCheck(connection) is { } result)
        {
            throw new HistoryStoreException($"{path}: {Damaged} (SQLite's quick_check: {result})");
        }
    }

    /// <summary>
    /// After SQLite reported the file damaged in the middle of a read or a write: whether it really is. A read that
    /// failed with EIO for a moment came back as SQLITE_CORRUPT, and the store refused every message until a restart
    /// and advised restoring a backup, which would have thrown away every message since it, for an intact file (fault
    /// injection, 2026-12-05). A fresh connection reads every page once (about 0.1 s per 30 MB); damage is only what
    /// that check finds. When the check cannot read either, nothing is concluded: the caller retries as for any I/O error.
    /// </summary>
    public static bool ConfirmDamage(string path)
    {
        try
        {
            using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
            connection.Open();
            return QuickCheck(connection) is not null;
        }
        catch (SqliteException ex)
        {
            return IsDamage(ex);
        }
    }

    /// <summary>
    /// Tests only: called at each quick_check this thread runs, which reads the whole file (a start with a large history
    /// pays seconds for each). Thread-static, since tests run in parallel and each opens its store on its own thread.
    /// </summary>
    [ThreadStatic]
    internal static Action? QuickCheckStarting;

    /// <summary>SQLite's first quick_check complaint about what <paramref name="connection"/> reads, or null when it finds none.</summary>
    private static string? QuickCheck(SqliteConnection connection)
    {
        QuickCheckStarting?.Invoke();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(1)";
        return command.ExecuteScalar() is string result && result != "ok" ? result : null;
    }

    // What to do about a damaged or foreign file, said the same way wherever it is found.
    private const string Damaged = "is not a readable SQLite database (damaged, or another kind of file). " + MoveAwayFix;

    /// <summary>What to do with a history.db this server cannot use.</summary>
    public const string MoveAwayFix = "Stop the server, move the file (and any " + FileName + "-wal and " + FileName + "-shm beside it) out of the data "
        + "directory, then restore a backup there or start without one to begin an empty history";

    /// <summary>True for the failures that mean "cannot write now" (disk full, read-only, I/O error) rather than a bug.</summary>
    public static bool IsStorageFailure(Exception ex) => ex switch
    {
        SqliteException s => s.SqliteErrorCode is SqliteFull or SqliteIoError or SqliteReadOnly or SqliteCantOpen or SqlitePermission or SqliteCorrupt
            or 5 /* BUSY: another process holds the write lock */ or 6 /* LOCKED */,
        IOException or UnauthorizedAccessException => true,
        _ => false,
    };

    /// <summary>SQLITE_CORRUPT or SQLITE_NOTADB: the file or its log is damaged, which no retry mends.</summary>
    public static bool IsDamage(Exception ex) => ex is SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase };

    /// <summary>The ERROR's fix for damage found while the server runs (the store then never checkpoints again).</summary>
    public const string DamagedAtRunTime = "Nothing is copied into " + FileName + " any more, so it keeps what it held at the last checkpoint. "
        + "Stop the server, then restore from a backup (README, Restore: delete " + FileName + "-wal and " + FileName + "-shm, copy the backup over " + FileName + ")";

    /// <summary>The ERROR for SQLITE_CORRUPT or SQLITE_NOTADB met while the server runs, by a write or a read.</summary>
    public static string DamagedWhileRunning(string path, Exception ex) =>
        $"{path}: SQLite finds the file or its log ({FileName}-wal) damaged ({ex.Message.TrimEnd('.')}). {DamagedAtRunTime}";

    /// <summary>A failure to write (full, I/O error, read-only, cannot create), as opposed to a damaged source.</summary>
    public static bool IsWriteFailure(SqliteException ex) =>
        ex.SqliteErrorCode is SqliteFull or SqliteIoError or SqliteReadOnly or SqliteCantOpen or SqlitePermission;

    /// <summary>The cause of a write failure in words, telling a full disk from others by the space left where <paramref name="path"/> is.</summary>
    public static string WriteFailureCause(SqliteException ex, string path) =>
        ex.SqliteErrorCode == SqliteFull || IsDiskFull(path)
            ? "the disk is full; free some space there"
            : ex.SqliteErrorCode is SqliteReadOnly or SqliteCantOpen or SqlitePermission
                ? "it cannot be written; check that the directory is writable by this account"
                : ex.Message.TrimEnd('.');

    /// <summary>
    /// True when the file system holding <paramref name="path"/> has (almost) no space left. SQLite reports a full disk
    /// met while creating its -shm or -wal file as a plain I/O error (10), which alone reads like failing hardware.
    /// </summary>
    public static bool IsDiskFull(string path) => FreeBytes(path) is { } free && free < 64 * 1024;

    /// <summary>Bytes available to this account where <paramref name="path"/> (or its directory) is; null when unknown.</summary>
    public static long? FreeBytes(string path)
    {
        try
        {
            string? directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
            return directory is null ? null : new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Turns an open-time failure into one line naming the file, what is wrong and what to do.</summary>
    public static HistoryStoreException Explain(string path, Exception ex)
    {
        // An IOException here is the OS refusing a file of ours (history.db.ids at a full disk) or SQLite's open.
        bool full = ex is SqliteException { SqliteErrorCode: SqliteFull } || (ex is SqliteException { SqliteErrorCode: SqliteIoError } or IOException && IsDiskFull(path));
        string fix = full ? "cannot be written: the disk is full. Free some space" : ex switch
        {
            SqliteException { SqliteErrorCode: SqliteNotADatabase or SqliteCorrupt } => Damaged,
            // A plain IOException here is the OS refusing a file (EROFS, EIO...): SQLite's own failures are SqliteExceptions.
            SqliteException { SqliteErrorCode: SqliteCantOpen or SqlitePermission or SqliteReadOnly } or UnauthorizedAccessException or IOException =>
                "cannot be opened for writing. Check that its file system is mounted read-write, and that the file and its directory belong to the account the server runs as and are writable",
            SqliteException { SqliteErrorCode: SqliteFull } => "cannot be written: the disk is full. Free some space",
            _ => "cannot be opened. If another program changed it, or it is not a LanTalk history: " + MoveAwayFix,
        };
        // SqliteException's message already reads "SQLite Error 10: 'disk I/O error'"; adding the code again repeated it.
        string detail = ex.Message.TrimEnd('.');
        // A command (backup, config check) run as another account than the files' owner: run it as the owner, rather
        // than "belong to the account the server runs as", which read as "chown them to me" (an operations audit, 2026-12-07).
        if (!full && ex is SqliteException { SqliteErrorCode: SqliteCantOpen or SqlitePermission or SqliteReadOnly } or UnauthorizedAccessException
            && Settings.DataFileProblem.RunAsOwner(path) is { } runAs)
        {
            fix = "cannot be opened. " + runAs;
        }

        // A disk that cannot be written now may be writable later; a damaged or newer file will not mend itself.
        bool unwritable = full || ex is IOException or UnauthorizedAccessException
            || ex is SqliteException { SqliteErrorCode: SqliteCantOpen or SqlitePermission or SqliteReadOnly };
        return new HistoryStoreException($"{path}: {fix} ({detail})", ex) { Unwritable = unwritable };
    }
}
