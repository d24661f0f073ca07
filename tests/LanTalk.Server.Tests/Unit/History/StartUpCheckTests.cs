using System.Net.Sockets;
using System.Text;
using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// The start-up check that reads every page of history.db (SQLite's quick_check) runs once per start, also after a
/// crash, and asks systemd for more start time while it runs: on a year of a busy team's chat (3.2 million messages,
/// 500 MB) a start after a kill -9 read the file twice, 9.9 s instead of 3.2 s, and a history of a few GB on a slow
/// disk outlasted the unit's 90 s start timeout, killed and restarted into the same check.
/// </summary>
[TestFixture]
public sealed class StartUpCheckTests
{
    [Test]
    public async Task A_start_after_a_kill_9_reads_the_whole_file_once()
    {
        using var crashed = await DamagedLogTests.CrashedAsync();

        var (store, checks) = OpenCountingFullReads(crashed.Path);

        await using (store)
        {
            checks.Should().Be(1, "the log's check already read every page of history.db with the log applied");
            store.Latest("lobby", 100).Should().HaveCount(DamagedLogTests.Messages);
        }
    }

    [Test]
    public async Task A_start_after_a_clean_stop_still_checks_the_whole_file()
    {
        await using var h = new HistoryFixture();
        await h.Store.AppendRoomAsync("lobby", "alice", "hello");
        await h.Store.DisposeAsync();

        var (store, checks) = OpenCountingFullReads(h.DataDirectory);

        await using (store)
        {
            checks.Should().Be(1, "without a log, the only full read is the damage check");
        }
    }

    /// <summary>Opens the store in <paramref name="dataDirectory"/>, counting the full reads of history.db (quick_check) the open made.</summary>
    private static (MessageStore Store, int Checks) OpenCountingFullReads(string dataDirectory)
    {
        int checks = 0;
        HistoryFile.QuickCheckStarting = () => checks++;
        try
        {
            // The tuple takes the count after Open has run.
            return (MessageStore.Open(dataDirectory, ServerSettings.Default, startRetention: false), checks);
        }
        finally
        {
            HistoryFile.QuickCheckStarting = null;
        }
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "systemd's notify socket is a Unix datagram socket")]
    public async Task The_start_up_check_asks_systemd_for_more_start_time()
    {
        using var crashed = await DamagedLogTests.CrashedAsync();
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(crashed.File("notify")));

        await using var store = MessageStore.Open(crashed.Path, ServerSettings.Default, clock: null, startRetention: false, notifySocket: crashed.File("notify"));

        manager.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead).Should().BeTrue("the check reads the whole file, seconds per GB");
        var buffer = new byte[256];
        int length = manager.Receive(buffer);
        Encoding.ASCII.GetString(buffer, 0, length).Should().Be("EXTEND_TIMEOUT_USEC=30000000");
    }
}
