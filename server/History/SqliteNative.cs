#if !SQLITE_BUNDLE
using System.Reflection;
using System.Runtime.InteropServices;
#endif

namespace LanTalk.Server.History;

/// <summary>
/// Tells SQLitePCLRaw which native SQLite to call, once per process, before any connection opens.
/// linux (and every build but win-x64): the "sqlite3" provider. The Native AOT publish links libsqlite3.a into the
/// executable (DirectPInvoke in the csproj); a JIT build loads the system library. win-x64: the e_sqlite3 bundle,
/// packed inside the single-file exe.
/// </summary>
internal static class SqliteNative
{
    private static readonly Lock s_lock = new();
    private static bool s_ready;

    public static void EnsureInitialized()
    {
        lock (s_lock)
        {
            if (s_ready)
            {
                return;
            }

#if SQLITE_BUNDLE
            SQLitePCL.Batteries_V2.Init();
#else
            // Only a JIT build resolves "sqlite3" at run time. Debian's runtime package ships libsqlite3.so.0; the
            // unversioned libsqlite3.so that the default probing looks for comes only with libsqlite3-dev.
            NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_sqlite3).Assembly, Resolve);
            SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_sqlite3());
#endif
            // SQLite counts every allocation under a process-wide mutex unless told not to, and nothing here reads
            // those counts (sqlite3_memory_used, a soft heap limit). Off, `history bench --writers 1000` spent about
            // a tenth less CPU per append (13.6 -> 12.0 us, medians of 5 interleaved runs). Only possible before
            // SQLite initializes, which the first open does; if something opened first, the call fails harmlessly.
            _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
            s_ready = true;
        }
    }

    /// <summary>
    /// SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE on <paramref name="connection"/>: closing it leaves history.db as it is even
    /// when it is the file's last connection. Best effort on a closed or failing handle.
    /// </summary>
    public static void NoCheckpointOnClose(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        if (connection.Handle is { } handle)
        {
            _ = SQLitePCL.raw.sqlite3_db_config(handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
        }
    }

#if !SQLITE_BUNDLE
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != "sqlite3")
        {
            return IntPtr.Zero;
        }

        foreach (string candidate in (string[])["libsqlite3.so.0", "libsqlite3.so", "libsqlite3.dylib", "sqlite3"])
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out IntPtr handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
#endif
}
