using System.Diagnostics;
using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// history.db in a state SQLite would quietly work around: a directory in its place, a file we may not write, a file
/// deleted while the server runs.
/// </summary>
[TestFixture]
public sealed class HistoryFileFaultTests
{
    [Test]
    public void A_directory_named_history_db_is_a_bad_file_not_an_unwritable_disk()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("history.db"));

        var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

        // Unwritable would mean "run with history off", which stores nothing; a bad file stops the start.
        var ex = open.Should().Throw<HistoryStoreException>().Which;
        ex.Unwritable.Should().BeFalse();
        ex.Message.Should().Contain($"{dir.File("history.db")} is a directory, not a file").And.Contain("Move it out");
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_history_db_stops_the_open_instead_of_refusing_every_message_later()
    {
        using var dir = new TempDirectory();
        await MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false).DisposeAsync();
        string path = dir.File("history.db");
        MakeReadOnly(path);
        try
        {
            var open = () => MessageStore.Open(dir.Path, ServerSettings.Default, startRetention: false);

            var ex = open.Should().Throw<HistoryStoreException>().Which;
            ex.Unwritable.Should().BeFalse("the directory is writable: the file's owner or mode is wrong, and running with history off would store nothing");
            ex.Message.Should().Contain(path).And.Contain("cannot be opened for writing").And.Contain("chmod u+w");
        }
        finally
        {
            MakeWritable(path);
        }
    }

    /// <summary>chmod 444; root ignores the mode, so as root the immutable attribute stands in (or the test is skipped).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeReadOnly(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        if (Environment.UserName != "root")
        {
            return;
        }

        if (Chattr("+i", path) != 0)
        {
            Assert.Ignore("running as root on a file system without chattr +i: a read-only file cannot be made");
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeWritable(string path)
    {
        if (Environment.UserName == "root")
        {
            Chattr("-i", path);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static int Chattr(string flag, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            process.WaitForExit(10_000).Should().BeTrue();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    [TestCase("history.db")]
    [TestCase("history.db-wal")]
    public async Task A_file_deleted_while_the_store_runs_refuses_appends_instead_of_acknowledging_into_it(string deleted)
    {
        // SQLite writes on through its open descriptor: every later message was acknowledged, then gone at restart.
        await using var h = new HistoryFixture();
        (await h.Store.AppendRoomAsync("lobby", "alice", "before")).Status.Should().Be(AppendStatus.Stored);

        File.Delete(h.DataDirectory + "/" + deleted);
        var after = await h.Store.AppendRoomAsync("lobby", "alice", "after the delete");
        var offline = await h.Store.AppendPrivateAsync("alice", "bob", "stored for bob", queueForDelivery: true);

        after.Status.Should().Be(AppendStatus.StorageUnavailable, "nothing written to a deleted file may be acknowledged");
        offline.Status.Should().Be(AppendStatus.StorageUnavailable);
        h.Store.Available.Should().BeFalse();
    }
}
