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
}
