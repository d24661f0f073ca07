using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>
/// A consistent copy of history.db with SQLite's online backup API: it reads one snapshot (WAL lets the running
/// server keep committing meanwhile) into a temp file beside the target, which then replaces the target by rename.
/// </summary>
public static class HistoryBackup
{
    /// <summary>Copies <paramref name="dataDirectory"/>/history.db to <paramref name="target"/>; returns the messages copied.</summary>
    /// <param name="beforePlacing">
    /// Runs once the copy is complete and checked, before it replaces <paramref name="target"/>: the rooms file's copy
    /// goes in place first, so a backup killed between the two leaves an older history beside newer rooms (every
    /// room of that history listed) rather than a newer history whose new rooms the old rooms file lacks, which made
    /// their messages unreachable after a restore (fault injection, 2026-12-04: 16 of 40 killed backups).
    /// </param>
    public static long Run(string dataDirectory, string target, Action? beforePlacing = null)
    {
        // First, as the operator's own input: a relative FILE in a deleted current directory is named as such.
        string full = Settings.CommandLinePath.Full(target, $"backup {target}");
        SqliteNative.EnsureInitialized();
        string source = HistoryFile.PathIn(dataDirectory);
        if (!File.Exists(source))
        {
            throw new HistoryStoreException($"{source}: there is no history to back up yet (the server creates the file at its first start)");
        }

        HistoryFile.RefuseOddCompanions(Users.AtomicFile.FinalTarget(source));
        // The same check as the server's start: a log that does not fit history.db (one left from before a restore)
        // must not be applied. The backup's connection applied it at its close, when no server ran, and deleted the
        // log, damaging the restored history.db and the evidence with it (fault injection, 2026-12-05).
        HistoryFile.RefuseUnfitLog(source, source + IdReservation.Suffix);
        BackupTarget.RefuseServerFile(dataDirectory, full);

        // Said up front in the operator's terms: otherwise the error named the temp file ("Could not find a part of the
        // path '...x.db.1234.tmp'") or was a bare "Is a directory".
        if (Directory.Exists(full))
        {
            throw new HistoryStoreException($"{full} is a directory; give the backup a file name, such as {Path.Combine(full, "history-backup.db")}");
        }

        if (FileKind.DescribeIfNotRegular(full) is { } kind)
        {
            // The copy replaces the target by rename, which would put a regular file where a device, pipe or link was.
            throw new HistoryStoreException($"{full} is {kind}, not a regular file; the backup would replace it. Give the backup the path of a new or regular file (for a link, the path it points to)");
        }

        BackupTarget.RefuseNonBackup(full);

        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
        {
            throw new HistoryStoreException($"{full}: the directory {folder} does not exist; create it first, or back up to another place");
        }

        RemoveAbandonedCopies(full);
        // And those of the copy of Rooms.xml beside it: a backup killed between the two left FILE.rooms.xml.PID.tmp,
        // which no later backup removed (fault injection, 2026-12-05).
        RemoveAbandonedCopies(full + Rooms.RoomsBackup.Suffix);
        string temp = $"{full}.{Environment.ProcessId}.tmp";
        // After a clean stop the directory has neither the log nor its index; reading the file in WAL mode makes both.
        string live = Users.AtomicFile.FinalTarget(source);
        bool noLogBefore = !File.Exists(live + "-wal") && !File.Exists(live + "-shm");
        try
        {
            // The copy holds the same private messages as history.db, so it gets the same owner-only mode; SQLite
            // would create it with the umask's (usually world-readable), and the rename keeps the temp file's mode.
            File.Delete(temp);
            HistoryFile.CreateIfMissing(temp);
            using (var from = new SqliteConnection(HistoryFile.ConnectionString(source, SqliteOpenMode.ReadWrite)))
            using (var to = new SqliteConnection(HistoryFile.ConnectionString(temp, SqliteOpenMode.ReadWriteCreate)))
            {
                from.Open();
                // A backup only reads the data directory: as the file's last connection (no server running) its close
                // would otherwise checkpoint the log into history.db and delete history.db-wal and -shm. Unless there
                // was no log before this open (a clean stop): then the log is the empty one this open made, its
                // checkpoint writes nothing into history.db, and the close, when it is the last, removes the two files
                // it made, as README promises ("never changes the data directory"; an operations audit, 2026-12-06,
                // found both left behind). A server started meanwhile holds the file, so the close leaves them to it.
                if (!noLogBefore)
                {
                    SqliteNative.NoCheckpointOnClose(from);
                }

                int version = HistorySchema.ReadVersion(from);
                if (version > HistorySchema.CurrentVersion)
                {
                    HistorySchema.Migrate(from, source); // throws the "newer server" explanation
                }

                try
                {
                    to.Open();
                    from.BackupDatabase(to);
                    using var standalone = to.CreateCommand();
                    // The copy stands alone: rollback-journal mode, so restoring it needs no -wal file beside it.
                    standalone.CommandText = "PRAGMA journal_mode = DELETE";
                    standalone.ExecuteNonQuery();
                }
                catch (SqliteException ex) when (HistoryFile.IsWriteFailure(ex))
                {
                    // The backup's own disk, not the live database: "history.db cannot be written: the disk is full"
                    // sent the operator to free space where nothing was wrong.
                    throw new HistoryStoreException($"{full}: the backup cannot be written there ({HistoryFile.WriteFailureCause(ex, temp)}); the live database is fine, and any older backup at that path is kept", ex);
                }

                using var command = to.CreateCommand();
                command.CommandText = "PRAGMA quick_check";
                if (command.ExecuteScalar() as string != "ok")
                {
                    throw new HistoryStoreException($"{source}: the copy failed SQLite's quick_check; the live database may be damaged (run the server's 'config check')");
                }
            }

            long messages;
            using (var check = new SqliteConnection(HistoryFile.ConnectionString(temp, SqliteOpenMode.ReadOnly)))
            {
                check.Open();
                messages = MessageStore.Count(check, "SELECT count(*) FROM messages");
            }

            beforePlacing?.Invoke();
            File.Move(temp, full, overwrite: true);
            return messages;
        }
        catch (SqliteException ex)
        {
            throw HistoryFile.Explain(source, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HistoryStoreException($"{full}: the backup cannot be written there ({ex.Message.TrimEnd('.')}); check that the directory is writable by this account and has space", ex);
        }
        finally
        {
            File.Delete(temp);
            File.Delete(temp + "-journal");
        }
    }

    /// <summary>What `config check` says about history.db, without creating or changing it; throws when it is unusable.</summary>
    public static string Describe(string dataDirectory)
    {
        SqliteNative.EnsureInitialized();
        string path = HistoryFile.PathIn(dataDirectory);
        // The checks start-up makes before SQLite, which would quietly work around both.
        HistoryFile.RefuseDirectory(path);
        // SQLite keeps the log beside the file a symbolic link leads to.
        string file = Users.AtomicFile.FinalTarget(path);
        var ids = IdReservation.Open(path);
        HistoryFile.RefuseEmptied(file, ids);
        HistoryFile.RefuseOddCompanions(file);
        if (!File.Exists(path))
        {
            return $"{path} (not created yet; the server creates it at start)";
        }

        HistoryFile.RefuseReadOnly(path);

        try
        {
            bool logChecked = HistoryFile.RefuseUnfitLog(file, ids.FilePath);
            // Read-only: a check changes nothing (a read-write close would copy the log into history.db and delete it).
            using var connection = new SqliteConnection(HistoryFile.ConnectionString(path, SqliteOpenMode.ReadOnly));
            connection.Open();
            HistoryFile.RefuseForeign(connection, path);
            HistoryFile.RefuseLostLog(connection, file, ids);
            if (!logChecked)
            {
                // The log's check already read every page with the log applied, as this connection sees them.
                HistoryFile.RefuseDamaged(connection, path);
            }

            int version = HistorySchema.ReadVersion(connection);
            if (version > HistorySchema.CurrentVersion)
            {
                HistorySchema.Migrate(connection, path); // throws the "newer server" explanation
            }

            if (version < HistorySchema.CurrentVersion)
            {
                return $"{path}, schema version {version} (the server upgrades it to {HistorySchema.CurrentVersion} at start)";
            }

            long messages = MessageStore.Count(connection, "SELECT count(*) FROM messages");
            long size = new FileInfo(path).Length;
            return $"{path}, schema version {version}, {messages} message(s), {size / 1024.0 / 1024.0:0.0} MB";
        }
        catch (SqliteException ex)
        {
            throw HistoryFile.Explain(path, ex);
        }
    }

    /// <summary>
    /// Deletes the temp copies (FILE.PID.tmp and its -journal, -wal and -shm) of earlier backups to <paramref name="full"/> whose
    /// process is gone: a backup killed mid-copy (a cron timeout, OOM, a reboot) left a full-size copy that no later
    /// run removed, so a nightly backup that was killed now and then filled its disk (fault injection, 2026-12-03).
    /// A copy whose process still runs is another backup at work, and is left alone.
    /// </summary>
    internal static void RemoveAbandonedCopies(string full)
    {
        if (Path.GetDirectoryName(full) is not { } folder || !Directory.Exists(folder))
        {
            return;
        }

        string prefix = Path.GetFileName(full) + ".";
        foreach (string path in Directory.EnumerateFiles(folder, Path.GetFileName(full) + ".*.tmp*"))
        {
            string rest = Path.GetFileName(path)[prefix.Length..];
            int dot = rest.IndexOf('.', StringComparison.Ordinal);
            string tail = dot < 0 ? string.Empty : rest[dot..];
            if (dot <= 0 || tail is not (".tmp" or ".tmp-journal" or ".tmp-wal" or ".tmp-shm") || !int.TryParse(rest[..dot], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                || pid == Environment.ProcessId || IsRunning(pid))
            {
                continue;
            }

            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the backup itself does not need the space back.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
