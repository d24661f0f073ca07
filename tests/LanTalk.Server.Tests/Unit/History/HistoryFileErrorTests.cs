using LanTalk.Server.History;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// Start-up waits for a disk that cannot be written now (HistoryOpener), but stops for a file that will not mend
/// itself; the exception says which.
/// </summary>
[TestFixture]
public sealed class HistoryFileErrorTests
{
    [TestCase(8, TestName = "SQLITE_READONLY")]
    [TestCase(13, TestName = "SQLITE_FULL")]
    [TestCase(14, TestName = "SQLITE_CANTOPEN")]
    public void A_disk_that_cannot_be_written_is_unwritable_not_a_bad_file(int sqliteCode)
    {
        var ex = HistoryFile.Explain("/data/history.db", new SqliteException("disk trouble", sqliteCode));

        ex.Unwritable.Should().BeTrue();
        ex.Message.Should().StartWith("/data/history.db: ");
    }

    [Test]
    public void A_read_only_file_system_or_missing_permission_is_unwritable()
    {
        var readOnly = HistoryFile.Explain("/data/history.db", new IOException("Read-only file system"));
        readOnly.Unwritable.Should().BeTrue();
        readOnly.Message.Should().Contain("mounted read-write").And.NotContain("move the file", "the file is not at fault");
        HistoryFile.Explain("/data/history.db", new UnauthorizedAccessException("denied")).Unwritable.Should().BeTrue();
    }

    [TestCase(26, TestName = "SQLITE_NOTADB")]
    [TestCase(11, TestName = "SQLITE_CORRUPT")]
    public void A_damaged_file_is_not_unwritable_so_start_up_stops(int sqliteCode)
    {
        var ex = HistoryFile.Explain("/data/history.db", new SqliteException("damaged", sqliteCode));

        ex.Unwritable.Should().BeFalse();
        ex.Message.Should().Contain("restore a backup");
    }
}
