using System.Net.Sockets;
using System.Text;
using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A history upgrade that builds the search index again asks systemd for more start time, so a large history is not
/// killed by the unit's start timeout mid-upgrade; a start with nothing slow to do asks for nothing.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "systemd's notify socket is a Unix datagram socket")]
public sealed class StartTimeoutExtensionTests
{
    [Test]
    public void An_upgrade_that_rebuilds_the_search_index_asks_systemd_for_more_start_time()
    {
        using var dir = new TempDirectory();
        using var manager = BindManager(dir.File("notify"));
        string path = dir.File("history.db");
        OldHistoryFile.Create(path, 4);
        using var connection = OldHistoryFile.Open(path);

        HistorySchema.Migrate(connection, path, notifySocket: dir.File("notify"));

        Receive(manager).Should().Be("EXTEND_TIMEOUT_USEC=30000000");
        HistorySchema.ReadVersion(connection).Should().Be(HistorySchema.CurrentVersion);
    }

    [Test]
    public void A_new_file_asks_for_no_more_start_time()
    {
        using var dir = new TempDirectory();
        using var manager = BindManager(dir.File("notify"));
        string path = dir.File("history.db");
        using var connection = OldHistoryFile.Open(path);

        HistorySchema.Migrate(connection, path, notifySocket: dir.File("notify"));

        manager.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectRead).Should().BeFalse("a new file has no index to build again");
    }

    private static Socket BindManager(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static string Receive(Socket manager)
    {
        manager.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead).Should().BeTrue("the upgrade should have notified the manager");
        var buffer = new byte[256];
        int length = manager.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, length);
    }
}
