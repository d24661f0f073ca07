using System.Diagnostics;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A failing disk, against the real lantalk-server process: strace's fault injection makes a system call (fsync,
/// fdatasync, pread64) fail with EIO, as a failing disk reports it (the package is in scripts/deps.sh).
/// </summary>
[TestFixture]
public sealed class OpsDiskFaultTests
{
    private static readonly string[] FailingFsync = ["strace", "-f", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:error=EIO"];

    [Test]
    public async Task A_user_add_whose_fsync_fails_exits_non_zero_and_leaves_no_users_file()
    {
        // FileStream.Flush(flushToDisk: true) returned normally: the file was renamed into place and "Added" printed,
        // exit 0 (fault injection, 2026-12-05). Rooms.xml and history.db.ids are written the same way.
        RequireStrace();

        using var data = new TempDirectory();
        var (code, output) = await OpsProcess.RunWrappedAsync(FailingFsync, "secret-pass-1\n", "user", "add", "zed", "--password-stdin", "--data", data.Path);

        code.Should().NotBe(0, output);
        output.Should().Contain("fsync failed").And.Contain("Input/output error").And.NotContain("Added");
        File.Exists(data.File("Users.xml")).Should().BeFalse("nothing the disk did not take is put in place");
        Directory.GetFiles(data.Path, "*.tmp").Should().BeEmpty("the temp file is removed");
    }

    [Test]
    public async Task A_first_start_on_a_full_disk_exits_1_for_a_restart_not_2_for_a_configuration_mistake()
    {
        // The generated TLS pair could not be written (no space), and the start exited with 2, which the systemd unit
        // never restarts (RestartPreventExitStatus=2): the service stayed down after space returned (ops audit, 2026-12-05).
        RequireStrace();

        using var data = new TempDirectory();
        string[] noSpace = ["strace", "-f", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:error=ENOSPC"];
        var (code, output) = await OpsProcess.RunWrappedAsync(noSpace, null, "--data", data.Path, "--listen", "127.0.0.1", "--port", "0");

        code.Should().Be(1, output);
        output.Should().Contain("TLS: cannot write").And.Contain("No space left on device");
    }

    [Test]
    public async Task A_message_refused_because_the_disk_failed_its_flush_is_not_in_the_history_after_a_kill_9()
    {
        // The commit's frames were in the log with a valid commit marker, only their flush had failed: recovery after a
        // kill -9 took them, so the refused message came back, and a refused private one reached its recipient as
        // stored (fault injection, 2026-12-05). The server now cuts them from the log.
        RequireStrace();

        using var data = new TempDirectory();
        (await OpsProcess.RunAsync("correct horse\n", "user", "add", "alice", "--password-stdin", "--data", data.Path)).ExitCode.Should().Be(0);
        await using var server = OpsProcess.Start("--data", data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        int port = await server.WaitForPortAsync();
        var client = new ChatClient(new ChatClientOptions { ConnectTimeout = TimeSpan.FromSeconds(20), RequestTimeout = TimeSpan.FromSeconds(20) });
        await using var _ = client;
        await client.ConnectAsync("127.0.0.1", port);
        await client.LoginAsync("alice", "correct horse");
        for (int i = 0; i < 3; i++)
        {
            await client.SendPublicAsync($"ok {i}");
        }

        using (var strace = await AttachFailingFdatasyncAsync(server.Id))
        {
            var refused = await FluentActions.Awaiting(() => client.SendPublicAsync("refused")).Should().ThrowAsync<ChatClientException>();
            // A v2 session hears it as RateLimited with this text (docs/PROTOCOL.md, errors), a v3 one as StorageUnavailable.
            refused.Which.Message.Should().Contain("cannot store messages right now");
            server.KillHard();
            await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await strace.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        // What the next start reads: SQLite recovers the log as it opens the file.
        LanTalk.Server.History.SqliteNative.EnsureInitialized();
        using var history = new SqliteConnection($"Data Source={data.File("history.db")};Pooling=False");
        history.Open();
        using var query = history.CreateCommand();
        query.CommandText = "SELECT text FROM messages ORDER BY id";
        var texts = new List<string>();
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                texts.Add(reader.GetString(0));
            }
        }

        texts.Should().Equal("ok 0", "ok 1", "ok 2");
    }

    [Test]
    public async Task A_read_that_fails_for_a_moment_does_not_make_the_server_call_an_intact_history_damaged()
    {
        // SQLite reported the failed read as SQLITE_CORRUPT; the store refused every message until a restart and
        // advised restoring a backup, for a file that was fine (fault injection, 2026-12-05).
        RequireStrace();

        using var data = new TempDirectory();
        (await OpsProcess.RunAsync("correct horse\n", "user", "add", "alice", "--password-stdin", "--data", data.Path)).ExitCode.Should().Be(0);
        await using (var history = LanTalk.Server.History.MessageStore.Open(data.Path, LanTalk.Server.Settings.ServerSettings.Default, startRetention: false))
        {
            await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => history.AppendRoomAsync("lobby", "alice", $"message {i} with some text to fill the pages of the file")));
        }

        await using var server = OpsProcess.Start("--data", data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        int port = await server.WaitForPortAsync();
        var client = new ChatClient(new ChatClientOptions { Version = 3, ConnectTimeout = TimeSpan.FromSeconds(20), RequestTimeout = TimeSpan.FromSeconds(20) });
        await using var _ = client;
        await client.ConnectAsync("127.0.0.1", port);
        await client.LoginAsync("alice", "correct horse");

        using (var strace = await AttachFailingAsync(server.Id, "pread64"))
        {
            // Paging back to the oldest messages reads pages no one has read since the start.
            await FluentActions.Awaiting(() => client.HistoryAsync(HistoryScope.Room, "lobby", 50, 100)).Should().ThrowAsync<ChatClientException>();
            strace.Kill();
            await strace.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        // No write failed meanwhile (only reads were made to fail), so the next message is stored at once; a store that
        // called the file damaged refuses it, and every one after it, until a restart.
        ChatMessage? stored = null;
        try
        {
            stored = await client.SendRoomAsync("lobby", "after the read error");
        }
        catch (ChatClientException)
        {
        }

        stored.Should().NotBeNull("chat goes on once the disk reads again; output:\n{0}", server.Output);
        server.Output.Should().NotContain("restore from a backup");
    }

    private static void RequireStrace()
    {
        if (!File.Exists("/usr/bin/strace"))
        {
            Assert.Fail("strace is missing: install the strace package (scripts/deps.sh lists it)");
        }
    }

    /// <summary>strace on every thread of <paramref name="pid"/>, failing each fdatasync with EIO; returns once all are traced.</summary>
    private static Task<Process> AttachFailingFdatasyncAsync(int pid) => AttachFailingAsync(pid, "fdatasync");

    /// <summary>strace on every thread of <paramref name="pid"/>, failing each <paramref name="call"/> with EIO; returns once all are traced.</summary>
    private static async Task<Process> AttachFailingAsync(int pid, string call)
    {
        var info = new ProcessStartInfo("strace") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-f", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "/dev/null", "-e", $"trace={call}", "-e", $"inject={call}:error=EIO" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // "strace: Process N attached with M threads" on standard error, once every thread is traced.
        string? line;
        do
        {
            line = await process.StandardError.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.Contains(" attached", StringComparison.Ordinal));

        line.Should().NotBeNull("strace attaches to the server");
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        return process;
    }
}
