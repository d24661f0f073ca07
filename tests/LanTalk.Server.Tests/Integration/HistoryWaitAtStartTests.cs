using System.Text.RegularExpressions;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A history.db that cannot be written at start (here: its write-ahead log cannot be created in an immutable data
/// directory, as on a read-only file system; make faults does it with a real read-only mount) is waited for. The server used to run without the store,
/// acknowledging messages it never kept, with ids starting again below the stored ones.
/// </summary>
[TestFixture]
public sealed class HistoryWaitAtStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private TempDirectory _data = null!;

    [SetUp]
    public async Task SetUp()
    {
        _data = new TempDirectory();
        // Five stored messages, so the start can show it continues after them.
        (await OpsProcess.RunAsync(null, "history", "bench", "--data", _data.Path, "--count", "5", "--writers", "1")).ExitCode.Should().Be(0);
        // The data directory made immutable: SQLite's log cannot be created in it, for root too, which chmod cannot do.
        // (Not a directory where the log goes: that is refused at once as a file in the wrong state, which waiting
        // cannot mend.) The files the bench run left (history.db, the lock files) stay writable.
        if (Chattr.Run("+i", _data.Path) != 0)
        {
            _data.Dispose();
            Assert.Ignore("chattr +i is not available on this file system: an unwritable history cannot be made for root");
        }
    }

    [TearDown]
    public void TearDown()
    {
        Chattr.Run("-i", _data.Path);
        _data.Dispose();
    }

    private OpsProcess StartServer() => OpsProcess.Start("--data", _data.Path, "--listen", "127.0.0.1", "--port", "0", "--plaintext");

    [Test]
    public async Task An_unwritable_history_is_waited_for_and_the_server_starts_by_itself_once_it_can_be_written()
    {
        await using var server = StartServer();

        await server.WaitForLineAsync(new Regex("The server waits for it before it listens"), Timeout);
        server.Output.Should().Contain(_data.File("history.db")).And.Contain("<History>false</History>")
            .And.NotContain("Listening on", "nobody may send a message the server cannot store")
            .And.NotContain("History is off");
        Chattr.Run("-i", _data.Path).Should().Be(0);

        await server.WaitForPortAsync();
        server.Output.Should().MatchRegex(@"History: .* can be written again after \d+ s")
            .And.Contain("messages up to id 5", "the ids go on after the stored ones");
        server.Signal(15);
        (await server.WaitForExitAsync(Timeout)).Should().Be(0);
    }

    [Test]
    public async Task SIGTERM_while_waiting_for_the_history_ends_the_process_at_once_with_exit_1()
    {
        await using var server = StartServer();
        await server.WaitForLineAsync(new Regex("The server waits for it before it listens"), Timeout);

        server.Signal(15);

        (await server.WaitForExitAsync(Timeout)).Should().Be(1, server.Output);
        server.Output.Should().Contain("stopped before history.db could be opened").And.NotContain("   at ");
    }
}
