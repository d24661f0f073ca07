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
    public void Under_an_operators_own_NLog_config_outside_text_cannot_forge_or_hide_log_lines()
    {
        string log = _dir.File("own.log");
        string alone = _dir.File("property-alone.log");
        File.WriteAllText(_dir.File(LogSetup.ConfigFileName), $$"""
            <nlog>
              <targets>
                <target name="f" type="File" fileName="{{log}}"
                        layout="${level} ${message} [${event-properties:item=User}] [${all-event-properties}] ${exception:format=message} | ${exception:format=tostring}" />
                <target name="p" type="File" fileName="{{alone}}" layout="${event-properties:item=User}" />
              </targets>
              <rules><logger name="*" minlevel="Info" writeTo="f,p" /></rules>
            </nlog>
            """);
        LogSetup.Configure(_dir.Path, "logs", ConsoleStyle.Plain);
        const string Forged = "x\n2026-01-01 00:00:00.0000 ERROR LanTalk.Server FORGED\u001b[2J\rhidden\u202E";
        var log1 = LogManager.GetLogger("LanTalk.Server");

        log1.Info("#1 x@127.0.0.1:1 login as '{User}' refused", Forged);
        log1.Error(new InvalidDataException("quoted: " + Forged), "#1 x@127.0.0.1:1 failed");
        OperatorAlert.Warn(log1, "a file said: " + Forged);
        LogManager.Flush();
        LogManager.Configuration = null;

        File.ReadAllLines(alone)[0].Should().Be(@"x\n2026-01-01 00:00:00.0000 ERROR LanTalk.Server FORGED\u001B[2J\rhidden\u202E", "a property alone in a layout is escaped too");
        string[] lines = File.ReadAllText(log).TrimEnd('\n').Split('\n');
        lines.Should().NotContain(l => l.StartsWith("2026", StringComparison.Ordinal) || l.Contains('\u001b') || l.Contains('\r') || l.Contains('\u202E'), string.Join("\n", lines));
        lines.Should().Contain(l => l.StartsWith("Info ", StringComparison.Ordinal) && l.Contains(@"login as 'x\n2026-01-01 00:00:00.0000 ERROR LanTalk.Server FORGED\u001B[2J\rhidden\u202E' refused [x\n2026", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("Error ", StringComparison.Ordinal) && l.Contains(@"quoted: x\n2026", StringComparison.Ordinal), "the exception's message is escaped too");
        lines.Should().Contain(l => l.StartsWith("Warn ", StringComparison.Ordinal) && l.Contains(@"a file said: x\n2026", StringComparison.Ordinal));
    }

    [Test]
    public void Shipped_NLog_config_in_the_repository_is_the_embedded_one() =>
        File.ReadAllText(Path.Combine(RepoRoot.Path, "Data", "NLog.config")).Should().Be(DefaultFiles.NLogConfig);
}
