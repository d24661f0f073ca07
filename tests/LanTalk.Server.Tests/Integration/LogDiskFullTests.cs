using System.Text.RegularExpressions;
using LanTalk.Server.Logging;
using NLog;
using NLog.Config;
using NLog.Targets;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// The log file on a really full file system: scripts/fault-disk.sh mounts a small tmpfs (root only) and runs this with
/// LANTALK_FAULT_DIR pointing at it; elsewhere it is ignored. A line the full disk cut short must not be glued to the
/// line written after space returns: every line in the file has to parse.
/// </summary>
[TestFixture]
[Category("FaultDisk")]
[NonParallelizable]
public sealed partial class LogDiskFullTests
{
    // Odd-sized, so a line crossing the tmpfs's last free page boundary is cut in the middle, not between lines.
    private static readonly string s_padding = new('x', 137);

    [Test]
    public void A_line_cut_short_by_a_full_disk_is_never_glued_to_the_next_one()
    {
        string? mount = Environment.GetEnvironmentVariable("LANTALK_FAULT_DIR");
        if (string.IsNullOrEmpty(mount))
        {
            Assert.Ignore("needs a small tmpfs: run scripts/fault-disk.sh as root");
        }

        string logs = Path.Combine(mount, "logs-" + Guid.NewGuid().ToString("N"));
        string ballast = Path.Combine(mount, "ballast-" + Guid.NewGuid().ToString("N"));
        // The server's own file target and layout, without the console.
        var file = FallbackLogConfig.Create(logs, ConsoleStyle.Plain).AllTargets.OfType<FileTarget>().Single();
        var config = new LoggingConfiguration();
        config.AddRuleForAllLevels(file);
        using var factory = new LogFactory { Configuration = config };
        var log = factory.GetLogger("LanTalk.Test");
        string path = Path.Combine(logs, FallbackLogConfig.FileName);
        try
        {
            for (int i = 0; i < 20; i++)
            {
                log.Info("before {N} {Padding}", i, s_padding);
            }

            // The other FaultDisk tests share this tmpfs, and a server of theirs that is still closing frees pages when
            // it lets go of its files: filled once, the disk took 90 of the 100 lines in one CI run. So the ballast
            // takes back whatever was freed before every line, and only the log file's last page can take any.
            using (var stream = new FileStream(ballast, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                FillUp(stream);
                long full = new FileInfo(path).Length;
                for (int i = 0; i < 100; i++)
                {
                    FillUp(stream);
                    log.Info("during {N} {Padding}", i, s_padding);
                }

                new FileInfo(path).Length.Should().BeLessThan(full + (100 * s_padding.Length), "the disk is full, so most of these lines are lost");
            }

            File.Delete(ballast);
            for (int i = 0; i < 5; i++)
            {
                log.Info("after {N} {Padding}", i, s_padding);
            }

            factory.Flush();
        }
        finally
        {
            factory.Shutdown();
            File.Delete(ballast);
        }

        string[] lines = File.ReadAllLines(path);
        lines.Where(l => !WholeLine().IsMatch(l)).Should().BeEmpty("every line in {0} is whole; a cut line glued to the next does not parse", path);
        lines.Should().Contain(l => l.Contains("INFO  LanTalk.Test after 4 "), "logging resumes when space returns");
        File.ReadAllText(path).Should().EndWith("\n");
        Directory.Delete(logs, recursive: true);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{4} INFO  LanTalk\.Test (before|during|after) \d{1,2} x{137}$")]
    private static partial Regex WholeLine();

    /// <summary>Appends to <paramref name="ballast"/> until the file system refuses (ENOSPC).</summary>
    private static void FillUp(FileStream ballast)
    {
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                // From the file's real end: a refused write may have moved the position without writing.
                ballast.Position = ballast.Length;
                ballast.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full: the file system has no page left for anyone.
        }
    }
}
