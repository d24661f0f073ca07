namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// Data files in the wrong state, against the real lantalk-server process: a second server on the same directory,
/// a directory or a read-only file where history.db belongs. Each stops the start with exit 2 and one line naming
/// the file and the fix, or is refused, never silently run on.
/// </summary>
[TestFixture]
public sealed class OpsDataDirectoryTests
{
    private TempDirectory _data = null!;

    [SetUp]
    public void SetUp() => _data = new TempDirectory();

    [TearDown]
    public void TearDown() => _data.Dispose();

    private string[] Run(params string[] extra) => ["--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0", .. extra];

    private static void NoStackTrace(string output) => output.Should().NotContain("Unhandled exception").And.NotContain("   at ");

    [Test]
    public async Task A_second_server_on_the_same_data_directory_is_refused_even_with_history_off()
    {
        // With History false there is no history.db.lock: before lantalk-server.lock both servers ran and each
        // rewrote Rooms.xml from its own memory, losing the other's rooms.
        File.WriteAllText(_data.File("Settings.xml"), "<Settings><History>false</History></Settings>");
        await using var first = OpsProcess.Start(Run());
        await first.WaitForPortAsync();

        var (code, output) = await OpsProcess.RunAsync(null, Run());

        code.Should().Be(2, output);
        output.Should().Contain("another lantalk-server process is using the data directory").And.Contain(_data.File("lantalk-server.lock"));
        NoStackTrace(output);
        // It had written its start-up lines into the first one's open log, which then wrote over them (an operations audit).
        string log = File.ReadAllText(Path.Combine(_data.Path, "logs", "lantalk-server.log"));
        log.Split('\n').Count(l => l.Contains(" starting, pid ", StringComparison.Ordinal)).Should().Be(1, "the refused server writes nothing into the running one's log:\n" + log);
    }

    [Test]
    public async Task A_second_server_is_refused_even_after_the_lock_files_were_deleted_under_the_first()
    {
        // A "stale lock" clean-up deleted both lock files; the second server then started beside the first, handed out
        // the same ids and saved its Rooms.xml over the first one's (fault injection, 2026-12-05).
        await using var first = OpsProcess.Start(Run());
        await first.WaitForPortAsync();
        foreach (string name in new[] { "lantalk-server.lock", "history.db.lock" })
        {
            File.Delete(_data.File(name));
        }

        var (code, output) = await OpsProcess.RunAsync(null, Run());

        code.Should().Be(2, output);
        output.Should().Contain("another lantalk-server process is using the data directory");
        NoStackTrace(output);
    }

    [Test]
    public async Task A_missing_rooms_file_with_messages_of_its_rooms_in_the_history_is_a_warning_naming_the_rooms_and_the_fix()
    {
        // The rooms, their members and the way to their messages vanished without a word, where an empty Rooms.xml
        // stops the start (fault injection, 2026-12-05).
        (await OpsProcess.RunAsync("correct horse\n", "user", "add", "alice", "--password-stdin", "--data", _data.Path)).ExitCode.Should().Be(0);
        await using (var first = OpsProcess.Start(Run()))
        {
            int port = await first.WaitForPortAsync();
            var client = new LanTalk.Core.Client.ChatClient(new LanTalk.Core.Client.ChatClientOptions { Version = 3 });
            await using (client)
            {
                await client.ConnectAsync("127.0.0.1", port);
                await client.LoginAsync("alice", "correct horse");
                await client.JoinRoomAsync("dev");
                await client.SendRoomAsync("dev", "kept in history");
            }

            first.Signal(15);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0, first.Output);
        }

        File.Move(_data.File("Rooms.xml"), _data.File("Rooms.xml.away"));
        await using var second = OpsProcess.Start(Run());
        await second.WaitForPortAsync();

        second.Output.Should().Contain($"{_data.File("Rooms.xml")} is missing").And.Contain("dev (1)").And.Contain("FILE.rooms.xml");
    }

    [Test]
    public async Task A_start_while_Users_xml_is_moved_aside_takes_no_room_member_as_removed()
    {
        // Every member lost every room (a regression audit, 2026-12-06): with no Users.xml at start, each name in
        // Rooms.xml looked like an account removed while the server was stopped.
        foreach (string user in new[] { "alice", "bob" })
        {
            (await OpsProcess.RunAsync("correct horse\n", "user", "add", user, "--password-stdin", "--data", _data.Path)).ExitCode.Should().Be(0);
        }

        File.WriteAllText(_data.File("Rooms.xml"), "<Rooms version=\"1\"><Room name=\"club\" modes=\"1\"><Owner name=\"alice\" />"
            + "<Member name=\"alice\" joined=\"1\" /><Member name=\"bob\" joined=\"2\" /></Room></Rooms>");
        File.Move(_data.File("Users.xml"), _data.File("Users.xml.away"));
        await using (var server = OpsProcess.Start(Run()))
        {
            await server.WaitForPortAsync();
            server.Signal(15);
            (await server.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0, server.Output);
            server.Output.Should().Contain("Users.xml is missing, so no member of a room is taken as removed").And.NotContain("has no account");
        }

        string rooms = File.ReadAllText(_data.File("Rooms.xml"));
        rooms.Should().Contain("<Member name=\"alice\"").And.Contain("<Member name=\"bob\"").And.Contain("<Owner name=\"alice\"");
    }

    [Test]
    public async Task A_new_data_directory_starts_without_the_missing_rooms_warning()
    {
        await using var server = OpsProcess.Start(Run());
        await server.WaitForPortAsync();
        server.Output.Should().NotContain("is missing");
    }

    [Test]
    public async Task A_regular_file_as_data_directory_exits_2_naming_it_and_the_fix()
    {
        // It printed "The file '...' already exists." and exited 1, for the server and the other commands alike.
        string file = _data.File("hostname");
        File.WriteAllText(file, "box\n");

        foreach (string[] args in new[] { new[] { "--data", file, "--plaintext", "--listen", "127.0.0.1", "--port", "0" }, ["config", "check", "--data", file], ["user", "remove", "alice", "--data", file] })
        {
            var (code, output) = await OpsProcess.RunAsync(null, args);

            code.Should().Be(2, output);
            output.Should().Contain($"--data {file}: is a file, not a directory; give a directory (it is created if missing)", string.Join(" ", args));
            NoStackTrace(output);
        }
    }

    [Test]
    public async Task A_killed_server_leaves_no_lock_that_stops_the_next_start()
    {
        await using (var first = OpsProcess.Start(Run()))
        {
            await first.WaitForPortAsync();
        }

        await using var second = OpsProcess.Start(Run());
        await second.WaitForPortAsync();
    }

    [Test]
    public async Task A_directory_named_history_db_stops_start_up_instead_of_running_with_history_off()
    {
        Directory.CreateDirectory(_data.File("history.db"));

        var (code, output) = await OpsProcess.RunAsync(null, Run());

        code.Should().Be(2, output);
        output.Should().Contain($"history: {_data.File("history.db")} is a directory, not a file").And.NotContain("History is off");
        NoStackTrace(output);
    }

    [Test]
    public async Task A_relative_path_typed_in_a_deleted_current_directory_is_named_with_the_fix()
    {
        // The shell's directory removed under it (a release directory replaced, a temp dir cleaned): every relative
        // path then said only "Unable to find the specified file." (exit 1), naming neither the path nor the cause.
        string gone = _data.File("gone");
        string[] inDeletedDirectory = ["/bin/sh", "-c", $"mkdir '{gone}' && cd '{gone}' && rmdir '{gone}' && exec \"$0\" \"$@\""];
        Directory.CreateDirectory(_data.File("data"));

        foreach (string[] args in new[]
        {
            new[] { "user", "list", "--data", "reldata" },
            ["--data", "reldata", "--plaintext", "--listen", "127.0.0.1", "--port", "0"],
            ["backup", "copy.db", "--data", _data.File("data")],
        })
        {
            var (code, output) = await OpsProcess.RunWrappedAsync(inDeletedDirectory, null, args);

            code.Should().Be(2, output);
            output.Should().Contain("the current directory no longer exists").And.Contain("give an absolute path")
                .And.NotContain("Unable to find the specified file");
            output.Should().Contain(args.Contains("backup") ? "copy.db" : "--data reldata");
            NoStackTrace(output);
        }
    }

    [Test]
    [Platform("Linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_command_run_as_another_account_is_told_to_run_as_the_owner_and_not_to_chown_the_servers_files()
    {
        // `user list` (or `backup`, `user add`) run as an ordinary account on a service's data directory said "Make the
        // file readable and writable by the account the server runs as (that account): chown ...": followed, it locked
        // the server out of its own Users.xml and history.
        Assume.That(Environment.IsPrivilegedProcess && File.Exists("/usr/bin/setpriv"), "runs a command as nobody, which needs root and setpriv");
        File.SetUnixFileMode(_data.Path, (UnixFileMode)0x1ED);
        var (added, addOutput) = await OpsProcess.RunAsync("secret-pass-1\n", "user", "add", "zed", "--password-stdin", "--data", _data.Path);
        added.Should().Be(0, addOutput);
        string[] asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

        var (code, output) = await OpsProcess.RunWrappedAsync(asNobody, null, "user", "list", "--data", _data.Path);

        code.Should().Be(2, output);
        output.Should().Contain(_data.File("Users.xml")).And.Contain("It belongs to root").And.Contain("runs as nobody")
            .And.Contain($"sudo -u root {OpsProcess.Executable} user list --data {_data.Path}")
            .And.NotContain("the account the server runs as");
        NoStackTrace(output);
    }

    [Test]
    [Platform("Linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_backup_run_as_another_account_is_told_to_run_as_the_owner_of_the_history()
    {
        // From cron as the wrong account, backup said history.db "cannot be opened for writing ... belong to the account
        // the server runs as": read as "chown them to the cron account", which locks the service out of its history.
        Assume.That(Environment.IsPrivilegedProcess && File.Exists("/usr/bin/setpriv"), "runs a command as nobody, which needs root and setpriv");
        File.SetUnixFileMode(_data.Path, (UnixFileMode)0x1ED);
        await using (var server = OpsProcess.Start(Run()))
        {
            // A clean stop, as before a nightly backup of a quiet server: no -wal or -shm is left for nobody to trip on first.
            await server.WaitForPortAsync();
            server.Signal(15);
            (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        }

        File.Exists(_data.File("history.db-wal")).Should().BeFalse();

        // Where nobody may write, so that the history, not the target, is what it meets.
        string drop = Directory.CreateDirectory(_data.File("drop")).FullName;
        File.SetUnixFileMode(drop, (UnixFileMode)0x1FF);
        string target = Path.Combine(drop, "backup.db");
        var (code, output) = await OpsProcess.RunWrappedAsync(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], null,
            "backup", target, "--data", _data.Path);

        code.Should().Be(2, output);
        output.Should().Contain(_data.File("history.db")).And.Contain("It belongs to root").And.Contain("runs as nobody")
            .And.Contain($"sudo -u root {OpsProcess.Executable} backup {target} --data {_data.Path}")
            .And.NotContain("the account the server runs as");
        NoStackTrace(output);
    }
}
