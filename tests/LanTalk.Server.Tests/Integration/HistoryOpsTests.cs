using System.Text.RegularExpressions;
using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Integration;

/// <summary>The history as an operator meets it: start-up errors, config check, backup and the console's stats.</summary>
[TestFixture]
public sealed class HistoryOpsTests
{
    [Test]
    public async Task A_damaged_history_file_stops_the_start_with_exit_2_naming_the_file()
    {
        using var data = new TempDirectory();
        File.WriteAllText(data.File("history.db"), new string('#', 2000));

        var (code, output) = await OpsProcess.RunAsync(null, "--data", data.Path, "--listen", "127.0.0.1", "--port", "0", "--plaintext");

        code.Should().Be(2, output);
        output.Should().Contain("history:").And.Contain(data.File("history.db")).And.Contain("not a readable SQLite database").And.NotContain("   at ");
        output.Should().NotContain("Listening on");
    }

    [Test]
    public async Task A_damaged_newest_commit_of_the_log_is_a_WARN_at_start_naming_the_log_and_its_frames_and_the_server_starts()
    {
        // As a kill -9 leaves the data directory, then a byte of the last, acknowledged commit damaged on the disk.
        using var data = await Unit.History.DamagedLogTests.CrashedAsync();
        string wal = data.File("history.db-wal");
        long last = Unit.History.DamagedLogTests.LastFrame(wal);
        Unit.History.DamagedLogTests.Flip(wal, 32 + ((last - 1) * Unit.History.DamagedLogTests.FrameSize(wal)) + 24 + 100);

        await using var server = OpsProcess.Start("--data", data.Path, "--listen", "127.0.0.1", "--port", "0", "--plaintext");
        await server.WaitForPortAsync();

        server.Output.Should().MatchRegex($"WARN .*{Regex.Escape(wal)}: frame {last} .*fails its checksum, so SQLite does not apply the log's newest commit")
            .And.Contain("lost power").And.Contain("restore a backup");
        server.Signal(15);
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
    }

    [Test]
    public async Task The_server_creates_the_history_at_start_and_closes_it_on_SIGTERM_and_config_check_reports_it()
    {
        using var data = new TempDirectory();
        await using (var server = OpsProcess.Start("--data", data.Path, "--listen", "127.0.0.1", "--port", "0", "--plaintext"))
        {
            await server.WaitForPortAsync();
            server.Output.Should().Contain("History: " + data.File("history.db"));
            server.Signal(15);
            (await server.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        File.Exists(data.File("history.db")).Should().BeTrue();
        File.Exists(data.File("history.db-wal")).Should().BeFalse("a clean close checkpoints the log into the file");

        var (code, output) = await OpsProcess.RunAsync(null, "config", "check", "--data", data.Path);

        code.Should().Be(0, output);
        output.Should().MatchRegex($@"History: {Regex.Escape(data.File("history.db"))}, schema version \d+, 0 message\(s\)");
    }

    [Test]
    public async Task With_History_false_the_server_says_so_and_writes_no_history_file()
    {
        using var data = new TempDirectory();
        File.WriteAllText(data.File("Settings.xml"), "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Settings>\n  <History>false</History>\n</Settings>\n");
        await using (var server = OpsProcess.Start("--data", data.Path, "--listen", "127.0.0.1", "--port", "0", "--plaintext"))
        {
            await server.WaitForPortAsync();
            server.Output.Should().Contain("History is off (Settings.xml History = false)");
            server.Signal(15);
            (await server.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        File.Exists(data.File("history.db")).Should().BeFalse("nothing of a conversation may reach the disk");
    }

    [Test]
    public async Task Backup_copies_the_history_and_config_check_refuses_a_bad_file()
    {
        using var data = new TempDirectory();
        (await OpsProcess.RunAsync(null, "history", "bench", "--data", data.Path, "--count", "300", "--writers", "4")).ExitCode.Should().Be(0);
        using var target = new TempDirectory();

        var (code, output) = await OpsProcess.RunAsync(null, "backup", target.File("copy.db"), "--data", data.Path);

        code.Should().Be(0, output);
        output.Should().Contain("Backed up 300 message(s)");
        File.Exists(target.File("copy.db")).Should().BeTrue();

        File.WriteAllText(data.File("history.db"), new string('#', 2000));
        var check = await OpsProcess.RunAsync(null, "config", "check", "--data", data.Path);
        check.ExitCode.Should().Be(2);
        check.Output.Should().Contain("not a readable SQLite database");
    }

    [Test]
    public async Task The_backup_command_copies_Rooms_xml_beside_the_history_so_a_restore_keeps_every_rooms_messages()
    {
        using var data = new TempDirectory();
        (await OpsProcess.RunAsync(null, "history", "bench", "--data", data.Path, "--count", "10", "--writers", "1")).ExitCode.Should().Be(0);
        File.WriteAllText(data.File("Rooms.xml"), "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Rooms version=\"1\">\n  <Room name=\"bench\" modes=\"0\" />\n</Rooms>\n");
        using var target = new TempDirectory();

        var (code, output) = await OpsProcess.RunAsync(null, "backup", target.File("copy.db"), "--data", data.Path);

        code.Should().Be(0, output);
        output.Should().Contain(target.File("copy.db.rooms.xml"));
        File.ReadAllText(target.File("copy.db.rooms.xml")).Should().Be(File.ReadAllText(data.File("Rooms.xml")));
    }

    [Test]
    public async Task A_backup_without_a_Rooms_xml_says_so_and_removes_an_older_rooms_copy_that_belongs_to_an_earlier_history()
    {
        using var data = new TempDirectory();
        (await OpsProcess.RunAsync(null, "history", "bench", "--data", data.Path, "--count", "10", "--writers", "1")).ExitCode.Should().Be(0);
        using var target = new TempDirectory();
        File.WriteAllText(target.File("copy.db.rooms.xml"), "<Rooms version=\"1\" />");

        var (code, output) = await OpsProcess.RunAsync(null, "backup", target.File("copy.db"), "--data", data.Path);

        code.Should().Be(0, output);
        output.Should().Contain($"No Rooms.xml in {data.Path}").And.Contain("the older one there, from an earlier backup, was removed");
        File.Exists(target.File("copy.db.rooms.xml")).Should().BeFalse("restored with this history it would bring back rooms of another time");
    }

    [Test]
    public async Task Stats_shows_the_database_size_and_message_count()
    {
        await using var server = await TestServer.StartAsync();
        await server.History.AppendRoomAsync("lobby", "alice", "one");
        await server.History.AppendRoomAsync("lobby", "alice", "two");
        var output = new StringWriter();

        new OperatorConsole(new RunningServer(server.Server, server.Users, server.History, server.DataDirectory), _ => { }, output).Execute("stats");

        // The path is escaped, not matched as \S+: a temp directory may hold spaces.
        output.ToString().Should().MatchRegex(
            $@"History: {Regex.Escape(server.History.FilePath)}: \d+\.\d MB \+ \d+\.\d MB write-ahead log, 2 message\(s\), last id 2, 0 waiting for offline users")
            .And.Contain("Online: 0 user(s)");
    }
}
