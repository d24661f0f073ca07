#if !SQLITE_BUNDLE
using System.Runtime.InteropServices;

namespace LanTalk.Server.History;

/// <summary>
/// The few SQLite calls the writer makes per message, declared on raw pointers (see <see cref="RawStatement"/>). The
/// Native AOT publish binds "sqlite3" to the statically linked library (DirectPInvoke); a JIT build resolves it
/// through <see cref="SqliteNative"/>'s resolver, to the same library SQLitePCL uses.
/// </summary>
internal static partial class SqliteDirect
{
    /// <summary>SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.</summary>
    public static readonly IntPtr Transient = new(-1);

    [LibraryImport("sqlite3", EntryPoint = "sqlite3_bind_int64")]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport("sqlite3", EntryPoint = "sqlite3_bind_null")]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static partial int BindNull(IntPtr statement, int index);

    [LibraryImport("sqlite3", EntryPoint = "sqlite3_bind_text16")]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static unsafe partial int BindText16(IntPtr statement, int index, char* text, int bytes, IntPtr destructor);

    [LibraryImport("sqlite3", EntryPoint = "sqlite3_step")]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static partial int Step(IntPtr statement);

    [LibraryImport("sqlite3", EntryPoint = "sqlite3_reset")]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static partial int Reset(IntPtr statement);
}
#endif
