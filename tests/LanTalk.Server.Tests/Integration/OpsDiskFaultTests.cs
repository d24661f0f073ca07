using System.Diagnostics;
using LanTalk.Core.Client;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A disk that fails fsync, against the real lantalk-server process: strace's fault injection makes every fsync of
/// the process fail with EIO, as a failing disk reports it (the package is in scripts/deps.sh).
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
        if (!File.Exists("/usr/bin/strace"))
        {
            Assert.Fail("strace is missing: install the strace package (scripts/deps.sh lists it)");
        }

        using var data = new TempDirectory();
        var (code, output) = await OpsProcess.RunWrappedAsync(FailingFsync, "secret-pass-1\n", "user", "add", "zed", "--password-stdin", "--data", data.Path);

        code.Should().NotBe(0, output);
        output.Should().Contain("fsync failed").And.Contain("Input/output error").And.NotContain("Added");
        File.Exists(data.File("Users.xml")).Should().BeFalse("nothing the disk did not take is put in place");
        Directory.GetFiles(data.Path, "*.tmp").Should().BeEmpty("the temp file is removed");
    }

    [Test]
    public async Task A_message_refused_because_the_disk_failed_its_flush_is_not_in_the_history_after_a_kill_9()
    {
        // The commit's frames were in the log with a valid commit marker, only their flush had failed: recovery after a
        // kill -9 took them, so the refused message came back, and a refused private one reached its recipient as
        // stored (fault injection, 2026-12-05). The server now cuts them from the log.
        if (!File.Exists("/usr/bin/strace"))
        {
            Assert.Fail("strace is missing: install the strace package (scripts/deps.sh lists it)");
        }

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

    /// <summary>strace on every thread of <paramref name="pid"/>, failing each fdatasync with EIO; returns once all are traced.</summary>
    private static async Task<Process> AttachFailingFdatasyncAsync(int pid)
    {
        var info = new ProcessStartInfo("strace") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-f", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "/dev/null", "-e", "trace=fdatasync", "-e", "inject=fdatasync:error=EIO" })
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
