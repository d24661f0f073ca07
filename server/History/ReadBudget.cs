using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LanTalk.Server.History;

/// <summary>
/// Bounds one history read (a page, a search, a join's replay) in time. SQLite calls a progress handler on the
/// reader's connection every <see cref="Steps"/> virtual-machine steps; past the deadline it answers "stop", and
/// the statement ends with SQLITE_INTERRUPT, its memory freed as for any finished statement. Without it one
/// request could hold a thread and its memory for minutes, and go on after its session had closed.
/// </summary>
internal static class ReadBudget
{
    /// <summary>
    /// The longest one request may read: a page or a search of a few words over 30,000 messages takes well under
    /// 0.5 s; a read that needs more is one nobody waits for, on a thread other sessions need.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(2);

    // A few microseconds of work between checks, each a clock read: too little to measure, fine enough for any budget.
    private const int Steps = 1_000;

    /// <summary>Starts <paramref name="budget"/> for the reads on <paramref name="connection"/>, or (null) lifts any earlier one.</summary>
    /// <remarks>Pooled connections keep their handler, so every open sets or clears it.</remarks>
    public static void Start(SqliteConnection connection, TimeSpan? budget)
    {
        var handle = connection.Handle!;
        if (budget is not { } limit)
        {
            raw.sqlite3_progress_handler(handle, 0, null, null);
            return;
        }

        long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        raw.sqlite3_progress_handler(handle, Steps, static state =>
        {
            s_checks++;
            return Environment.TickCount64 >= (long)state ? 1 : 0;
        }, deadline);
    }

    /// <summary>
    /// Tests only: budget checks made on this thread so far, one per <see cref="Steps"/> virtual-machine steps of a
    /// budgeted read: how much a read did, counted the same way every run (a time would not be).
    /// </summary>
    internal static long ChecksOnThisThread => s_checks;

    // Per thread: a read runs on its caller's thread, and tests run in parallel.
    [ThreadStatic]
    private static long s_checks;

    /// <summary>True when <paramref name="ex"/> is a read stopped by its budget.</summary>
    public static bool Exceeded(Exception ex) => ex is SqliteException { SqliteErrorCode: raw.SQLITE_INTERRUPT };
}
