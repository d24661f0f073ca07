using LanTalk.Server.Logging;
using NLog;
using NLog.Config;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The log (login names, addresses, failed logins) is created owner-only like Users.xml and history.db, not by the
/// umask: it was 0644 in a 0755 logs/ for any local user to read, and 0666 under umask 000.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LogFileModeTests : TempDirectoryFixture
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Test]
    public void The_log_directory_is_made_0750_and_the_log_file_0600()
    {
        string logs = Path.Combine(Dir.Path, "logs");
        using var factory = new LogFactory();
        var config = new LoggingConfiguration(factory);
        config.AddRuleForAllLevels(new WholeLineFileTarget("file") { FileName = Path.Combine(logs, "server.log") });
        factory.Configuration = config;

        factory.GetLogger("test").Info("login as 'MySecretPw1' refused");
        factory.Flush();

        File.GetUnixFileMode(Path.Combine(logs, "server.log")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (File.GetUnixFileMode(logs) & UnixFileMode.OtherRead).Should().Be(UnixFileMode.None, "others may not list the logs");
        (File.GetUnixFileMode(logs) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)).Should().Be(UnixFileMode.None);
    }

    [Test]
    public void A_new_log_file_is_owner_only_but_an_existing_one_keeps_its_mode()
    {
        string fresh = Dir.File("new.log");
        string kept = Dir.File("kept.log");
        File.WriteAllText(kept, "earlier\n");
        File.SetUnixFileMode(kept, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        using (var stream = new WholeLineFileStream(fresh))
        {
            stream.Write("line\n"u8);
        }

        using (var stream = new WholeLineFileStream(kept))
        {
            stream.Write("line\n"u8);
        }

        (File.GetUnixFileMode(fresh) & GroupOrOthers).Should().Be(UnixFileMode.None);
        File.GetUnixFileMode(kept).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "an operator's 0640 for a log reader's group stays");
    }
}
