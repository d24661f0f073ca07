using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A history.db-wal damaged between a kill -9 and the next start: SQLite's recovery would keep the frames before the
/// damage and drop the rest without a word, so the start refuses it, naming the file and the fix, and changes neither
/// file (real files, real SQLite logs). A log as a crash leaves it opens as always.
/// </summary>
[TestFixture]
public sealed class DamagedLogTests
{
    internal const int Messages = 30;

    /// <summary>As a kill -9 leaves the data directory: <see cref="Messages"/> commits in the log, none checkpointed.</summary>
    internal static async Task<TempDirectory> CrashedAsync()
    {
        var crashed = new TempDirectory();
        await using var h = new HistoryFixture();
        for (int i = 0; i < Messages; i++)
        {
            // One commit each, as messages sent one at a time get.
            await h.Store.AppendRoomAsync("lobby", "alice", $"message {i}");
        }

        foreach (string name in new[] { "history.db", "history.db-wal", "history.db.ids" })
        {
            File.Copy(Path.Combine(h.DataDirectory, name), crashed.File(name));
        }

        return crashed;
    }

    internal static void Flip(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x40));
    }

    internal static int FrameSize(string wal)
    {
        var header = new byte[32];
        using var file = File.OpenRead(wal);
        file.ReadExactly(header);
        return 24 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
    }

    /// <summary>The number of frames of the log's generation: the log is longer, given its working size in zeros.</summary>
    internal static long LastFrame(string wal)
    {
        int frame = FrameSize(wal);
        var header = new byte[32];
        var bytes = new byte[frame];
        using var file = File.OpenRead(wal);
        file.ReadExactly(header);
        long count = 0;
        while (file.Position + frame <= file.Length)
        {
            file.ReadExactly(bytes);
            if (!bytes.AsSpan(8, 8).SequenceEqual(header.AsSpan(16, 8)))
            {
                break;
            }

            count++;
        }

        return count;
    }

    [Test]
    public async Task A_log_as_a_kill_9_leaves_it_opens_with_every_message()
    {
        using var crashed = await CrashedAsync();
        await using var store = MessageStore.Open(crashed.Path, ServerSettings.Default, startRetention: false);
        store.Latest("lobby", 100).Should().HaveCount(Messages);
    }

    [Test]
    public async Task A_log_whose_last_frame_is_torn_opens_with_the_commits_before_it()
    {
        // What a power cut can leave: the last, unacknowledged commit torn. Not damage.
        using var crashed = await CrashedAsync();
        string wal = crashed.File("history.db-wal");
        int frame = FrameSize(wal);
        Flip(wal, 32 + ((LastFrame(wal) - 1) * frame) + 100);

        await using var store = MessageStore.Open(crashed.Path, ServerSettings.Default, startRetention: false);
        store.Latest("lobby", 100).Should().HaveCount(Messages - 1);
    }

    [Test]
    public async Task A_damaged_newest_commit_is_reported_naming_the_log_its_frames_and_what_it_means_and_the_start_goes_on()
    {
        // A flipped byte in the page of the log's last frame, the commit frame of message 30, acknowledged before the
        // kill -9. SQLite drops that commit; as a power cut mid-commit looks the same, the start goes on, and says so.
        using var crashed = await CrashedAsync();
        string wal = crashed.File("history.db-wal");
        int frame = FrameSize(wal);
        long last = LastFrame(wal);
        Flip(wal, 32 + ((last - 1) * frame) + 24 + 100);

        WalScan.Problem(wal, out string? tail).Should().BeNull("no commit was written after the damaged one: nothing to refuse");

        tail.Should().NotBeNull("message 30 was acknowledged and SQLite drops it without a word")
            .And.Contain(wal).And.Contain($"frame {last} (at byte {32 + ((last - 1) * frame):N0}) fails its checksum")
            .And.Contain("lost power").And.Contain("never acknowledged").And.Contain("restore a backup");
        await using var store = MessageStore.Open(crashed.Path, ServerSettings.Default, startRetention: false);
        store.Latest("lobby", 100).Should().HaveCount(Messages - 1);
    }

    [Test]
    public async Task A_log_as_a_kill_9_leaves_it_or_cut_short_before_its_last_commit_frame_is_not_reported()
    {
        using var crashed = await CrashedAsync();
        string wal = crashed.File("history.db-wal");
        WalScan.Problem(wal, out string? tail).Should().BeNull();
        tail.Should().BeNull("every commit is whole; the zeros after them are the log's working size");

        // The last commit's frames without its commit frame: a write cut short, never acknowledged.
        int frame = FrameSize(wal);
        long last = LastFrame(wal);
        using (var file = new FileStream(wal, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(32 + ((last - 1) * frame));
        }

        WalScan.Problem(wal, out tail).Should().BeNull();
        tail.Should().BeNull("frames with no commit after them were never a commit");

        // And torn as well: still no commit among the frames dropped.
        Flip(wal, 32 + ((last - 2) * frame) + 24 + 100);
        WalScan.Problem(wal, out tail).Should().BeNull();
        tail.Should().BeNull();
    }

    [TestCase(12, "its header fails its checksum", "move history.db-wal")]
    [TestCase(0, "its header is not a SQLite log header", "move history.db-wal")]
    [TestCase(-1, "is damaged, and", "truncate -s")]
    public async Task A_damaged_log_stops_the_start_naming_the_file_and_the_fix_and_changes_neither_file(long offset, string why, string fix)
    {
        using var crashed = await CrashedAsync();
        string wal = crashed.File("history.db-wal");
        // -1: a byte in the middle of the log, inside a page: recovery kept only the commits before it.
        Flip(wal, offset >= 0 ? offset : 32 + (FrameSize(wal) * 10) + 100);
        byte[] db = File.ReadAllBytes(crashed.File("history.db"));
        byte[] log = File.ReadAllBytes(wal);

        var refused = FluentActions.Invoking(() => MessageStore.Open(crashed.Path, ServerSettings.Default, startRetention: false)).Should().Throw<HistoryStoreException>().Which;

        refused.Message.Should().Contain(wal).And.Contain(why).And.Contain(fix).And.Contain("neither file was changed");
        File.ReadAllBytes(crashed.File("history.db")).Should().Equal(db);
        File.ReadAllBytes(wal).Should().Equal(log);
    }
}
