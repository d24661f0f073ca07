using LanTalk.Server.Logging;
using LanTalk.Server.Settings;
using NLog;
using NLog.Targets;

namespace LanTalk.Server.Tests.Unit;

[TestFixture]
[NonParallelizable]
public sealed class LoggingTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown()
    {
        LogManager.Configuration = null;
        _dir.Dispose();
    }

    [Test]
    public void Fallback_logs_info_to_the_console_and_a_daily_file_kept_14_days()
    {
        var config = FallbackLogConfig.Create("/var/log/lt", ConsoleStyle.Plain);

        var file = config.AllTargets.OfType<FileTarget>().Should().ContainSingle().Subject;
        file.Should().BeOfType<WholeLineFileTarget>("a line a full disk cut short must not be glued to the next");
        file.FileName.Render(LogEventInfo.CreateNullEvent()).Should().Be("/var/log/lt/lantalk-server.log");
        file.ArchiveFileName!.Render(LogEventInfo.CreateNullEvent()).Should().Be("/var/log/lt/lantalk-server.log", "the day's file keeps its name; yesterday's is moved aside");
        file.ArchiveEvery.Should().Be(FileArchivePeriod.Day);
        file.MaxArchiveFiles.Should().Be(14);
        config.AllTargets.OfType<ConsoleTarget>().Should().ContainSingle();
        config.LoggingRules.Should().OnlyContain(r => r.IsLoggingEnabledForLevel(LogLevel.Info) && !r.IsLoggingEnabledForLevel(LogLevel.Debug));
    }

    [Test]
    public void Fallback_uses_colors_only_when_asked() =>
        FallbackLogConfig.Create("/x", ConsoleStyle.Colored).AllTargets.OfType<ColoredConsoleTarget>().Should().ContainSingle();

    [Test]
    public void Under_systemd_console_lines_carry_the_journal_priority()
    {
        JournalPriority.Register();
        var console = FallbackLogConfig.Create("/x", ConsoleStyle.Journal).AllTargets.OfType<ConsoleTarget>().Single();

        console.Layout.Render(LogEventInfo.Create(LogLevel.Warn, "t", "disk almost full")).Should().Be("<4>WARN  disk almost full");
        console.Layout.Render(LogEventInfo.Create(LogLevel.Error, "t", "x")).Should().StartWith("<3>");
        console.Layout.Render(LogEventInfo.Create(LogLevel.Info, "t", "x")).Should().StartWith("<6>");
    }

    [Test]
    public void Without_NLog_config_the_fallback_writes_the_log_file_under_the_log_directory()
    {
        string description = LogSetup.Configure(_dir.Path, "logs", ConsoleStyle.Plain);
        LogManager.GetLogger("test").Info("hello {Who}", "file");
        LogManager.Flush();
        LogManager.Configuration = null;

        description.Should().Contain("built-in configuration");
        File.ReadAllText(Path.Combine(_dir.Path, "logs", "lantalk-server.log")).Should().Contain("hello file");
    }

    [Test]
    public void The_shipped_NLog_config_loads_and_writes_under_the_log_directory()
    {
        File.WriteAllText(_dir.File(LogSetup.ConfigFileName), DefaultFiles.NLogConfig);

        string description = LogSetup.Configure(_dir.Path, "/tmp/elsewhere-" + Guid.NewGuid().ToString("N"), ConsoleStyle.Plain);
        var targets = LogManager.Configuration!.AllTargets;

        description.Should().Be(_dir.File(LogSetup.ConfigFileName));
        targets.OfType<ColoredConsoleTarget>().Should().ContainSingle();
        var file = targets.OfType<FileTarget>().Should().ContainSingle().Subject;
        file.Should().BeOfType<WholeLineFileTarget>("xsi:type=\"File\" in an NLog.config gets the whole-line writer too");
        file.FileName.Render(LogEventInfo.CreateNullEvent()).Should().EndWith("/lantalk-server.log").And.StartWith("/tmp/elsewhere-");
        file.ArchiveFileName!.Render(LogEventInfo.CreateNullEvent()).Should().Be(file.FileName.Render(LogEventInfo.CreateNullEvent()), "the shipped NLog.config keeps the name too");
        file.ArchiveEvery.Should().Be(FileArchivePeriod.Day);
        file.MaxArchiveFiles.Should().Be(14);
    }

    [Test]
    public void A_broken_NLog_config_is_an_error_not_silence()
    {
        File.WriteAllText(_dir.File(LogSetup.ConfigFileName), "<nlog><targets><target name=\"x\" type=\"NoSuchTarget\" /></targets></nlog>");

        var act = () => LogSetup.Configure(_dir.Path, "logs", ConsoleStyle.Plain);

        act.Should().Throw<NLogConfigurationException>();
        LogManager.ThrowConfigExceptions.Should().BeFalse();
    }

    [Test]
    public void A_typo_in_a_reloaded_NLog_config_is_not_reported_as_log_lines_lost()
    {
        var reports = new StringWriter();
        LogFailureReporter.Output = reports;
        try
        {
            LogSetup.Configure(_dir.Path, "logs", ConsoleStyle.Plain);
            File.WriteAllText(_dir.File(LogSetup.ConfigFileName), "<nlog><targets><target name=\"c\" type=\"Consol\" /></targets><rules><logger name=\"*\" minlevel=\"Info\" writeTo=\"c\" /></rules></nlog>");

            var reload = () => LogSetup.Configure(_dir.Path, "logs", ConsoleStyle.Plain);

            reload.Should().Throw<NLogConfigurationException>("the reload says what is wrong, and the previous logging stays");
            reports.ToString().Should().BeEmpty("a configuration typo is not a failing disk");
        }
        finally
        {
            LogFailureReporter.Output = Console.Error;
        }
    }

    [Test]
    public void Shipped_NLog_config_names_archived_days_as_the_README_does()
    {
        // README, Files: "earlier days as `lantalk-server_YYYYMMDD_NN.log`"; NLog 6 puts the date in the archive name.
        File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md")).Should().Contain("lantalk-server_YYYYMMDD_NN.log");
        DefaultFiles.NLogConfig.Should().Contain("lantalk-server_YYYYMMDD_NN.log").And.NotContain("lantalk-server_NN.log");
    }

    [Test]
    public void Shipped_NLog_config_in_the_repository_is_the_embedded_one() =>
        File.ReadAllText(Path.Combine(RepoRoot.Path, "Data", "NLog.config")).Should().Be(DefaultFiles.NLogConfig);
}
