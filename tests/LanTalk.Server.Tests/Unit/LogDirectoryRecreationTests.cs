using LanTalk.Server.Logging;
using NLog;
using NLog.Config;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The file target makes a missing log directory on the first line, but once it has written it never makes the data
/// directory again: one renamed away under the running server came back at its old path and blocked the move back.
/// </summary>
[TestFixture]
public sealed class LogDirectoryRecreationTests : TempDirectoryFixture
{
    [Test]
    public void A_data_directory_renamed_away_is_not_made_again_by_the_next_log_line_but_a_deleted_log_directory_is()
    {
        string data = Path.Combine(Dir.Path, "data");
        Directory.CreateDirectory(data);
        using var factory = new LogFactory();
        var target = new WholeLineFileTarget("file") { FileName = Path.Combine(data, "logs", "server.log"), KeepFileOpen = false };
        var config = new LoggingConfiguration(factory);
        config.AddRuleForAllLevels(target);
        factory.Configuration = config;
        var log = factory.GetLogger("test");

        log.Info("first line makes logs/");
        factory.Flush();
        File.Exists(Path.Combine(data, "logs", "server.log")).Should().BeTrue();

        Directory.Delete(Path.Combine(data, "logs"), recursive: true);
        log.Info("logs/ deleted alone is made again");
        factory.Flush();
        File.Exists(Path.Combine(data, "logs", "server.log")).Should().BeTrue();

        Directory.Move(data, data + ".moved");
        log.Info("the data directory is gone");
        factory.Flush();
        Directory.Exists(data).Should().BeFalse("a renamed data directory must be movable back");
    }
}
