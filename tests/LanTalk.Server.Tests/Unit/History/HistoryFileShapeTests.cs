using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A history.db that is not the shape of a SQLite database (shorter than its header, or not whole pages) is refused
/// at the open; SQLite took the first for an empty database and read the second's missing bytes as zeros.
/// </summary>
[TestFixture]
public sealed class HistoryFileShapeTests
{
    [TestCase(1)]
    [TestCase(99)]
    public void A_history_db_shorter_than_a_header_is_refused_and_left_as_it_is(int length)
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        File.WriteAllBytes(path, new byte[length]);

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        open.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain($"{path} is {length} bytes, shorter than the 100-byte header");
        new FileInfo(path).Length.Should().Be(length, "nothing was written over it");
    }

    [TestCase(1)]
    [TestCase(34)]
    public async Task A_history_db_cut_short_by_a_few_bytes_is_refused(int cut)
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.db");
        await using (var store = MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false))
        {
            (await store.AppendRoomAsync("lobby", "alice", "a message")).Status.Should().Be(AppendStatus.Stored);
        }

        using (var db = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            db.SetLength(db.Length - cut);
        }

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        open.Should().Throw<HistoryStoreException>().Which.Message.Should().Contain("which is not a whole number of its 4096-byte pages");
    }
}
