using System.Text;
using LanTalk.Server.Logging;
using NLog;
using NLog.Config;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The parts of <see cref="WholeLineFileStream"/> that need no full disk; LogDiskFullTests covers the cut-back on a
/// real one.
/// </summary>
[TestFixture]
public sealed class WholeLineFileStreamTests : TempDirectoryFixture
{
    [Test]
    public void A_file_left_ending_mid_line_gets_a_newline_before_the_next_line()
    {
        string path = Dir.File("server.log");
        File.WriteAllText(path, "line 1\nline 2 cut sho");

        using (var stream = new WholeLineFileStream(path))
        {
            stream.Write("line 3\n"u8);
        }

        File.ReadAllText(path).Should().Be("line 1\nline 2 cut sho\nline 3\n");
    }

    [Test]
    public void A_file_ending_on_a_line_boundary_is_appended_to_as_it_is()
    {
        string path = Dir.File("server.log");
        File.WriteAllText(path, "line 1\n");

        using (var stream = new WholeLineFileStream(path))
        {
            stream.Write("line 2\n"u8);
            stream.Write(Encoding.UTF8.GetBytes("line 3 ünïcode\n"));
        }

        File.ReadAllText(path).Should().Be("line 1\nline 2\nline 3 ünïcode\n");
    }

    [Test]
    public void A_new_file_is_created()
    {
        string path = Dir.File("new.log");

        using (var stream = new WholeLineFileStream(path))
        {
            stream.Write("first\n"u8);
        }

        File.ReadAllText(path).Should().Be("first\n");
    }

    [Test]
    public void NLog_still_archives_a_file_written_through_it()
    {
        // ArchiveAboveSize makes NLog close, move and reopen the file: the path a daily archive takes too.
        string path = Dir.File("server.log");
        var target = new WholeLineFileTarget("file") { FileName = path, ArchiveAboveSize = 500, MaxArchiveFiles = 10, Layout = "${message}" };
        var config = new LoggingConfiguration();
        config.AddRuleForAllLevels(target);
        using (var factory = new LogFactory { Configuration = config })
        {
            var log = factory.GetLogger("t");
            for (int i = 0; i < 20; i++)
            {
                log.Info("line {0} {1}", i, new string('x', 90));
            }

            factory.Flush();
        }

        var files = Directory.GetFiles(Dir.Path, "server*.log");
        files.Should().HaveCountGreaterThan(1, "the file went past 500 bytes several times");
        var lines = files.SelectMany(File.ReadAllLines).ToList();
        lines.Should().HaveCount(20).And.OnlyContain(l => l.StartsWith("line ", StringComparison.Ordinal) && l.EndsWith(new string('x', 90), StringComparison.Ordinal));
    }
}
