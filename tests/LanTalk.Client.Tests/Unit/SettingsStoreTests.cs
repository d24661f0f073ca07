using LanTalk.Client.App;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Unit;

public sealed class SettingsStoreTests
{
    private TempDirectory _temp = null!;

    private string SettingsFile => _temp.AppPaths.SettingsFile;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Missing_file_gives_defaults_without_warnings()
    {
        var warnings = new List<string>();
        SettingsStore.Load(SettingsFile, warnings).Should().Be(ClientSettings.Default);
        warnings.Should().BeEmpty();
    }

    [Test]
    public void Saved_settings_load_back_equal()
    {
        var settings = new ClientSettings { Host = "chat.lan", Port = 7000, User = "Zoë", Display = new DisplayOptions { Color = false, Seconds = true } };
        SettingsStore.Save(SettingsFile, settings);

        var warnings = new List<string>();
        SettingsStore.Load(SettingsFile, warnings).Should().Be(settings);
        warnings.Should().BeEmpty();
    }

    [Test]
    public void Rooms_of_an_older_file_are_ignored_and_dropped_at_the_next_save()
    {
        // The server keeps each user's rooms; a list kept here was rejoined at start and undid leaves and kicks.
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        File.WriteAllText(SettingsFile, "<LanTalkClient version=\"1\"><Server>chat.lan</Server><User>alice</User><Rooms server=\"chat.lan:65534\" user=\"alice\"><Room>dev</Room></Rooms><Rooms><Room>my room</Room></Rooms></LanTalkClient>");

        var warnings = new List<string>();
        var loaded = SettingsStore.Load(SettingsFile, warnings);
        warnings.Should().BeEmpty();
        SettingsStore.Save(SettingsFile, loaded);

        File.ReadAllText(SettingsFile).Should().NotContain("Room").And.Contain("<User>alice</User>");
    }

    [Test]
    public void Saving_replaces_the_file_and_leaves_no_temporary_file()
    {
        SettingsStore.Save(SettingsFile, new ClientSettings { Host = "one" });
        SettingsStore.Save(SettingsFile, new ClientSettings { Host = "two" });

        SettingsStore.Load(SettingsFile, new List<string>()).Host.Should().Be("two");
        Directory.GetFiles(Path.GetDirectoryName(SettingsFile)!).Should().ContainSingle().Which.Should().EndWith("Settings.xml");
    }

    [Test]
    public void The_file_is_plain_readable_xml_with_no_password()
    {
        SettingsStore.Save(SettingsFile, new ClientSettings { Host = "chat.lan", User = "alice" });
        string xml = File.ReadAllText(SettingsFile);
        xml.Should().Contain("<Server>chat.lan</Server>").And.Contain("<User>alice</User>").And.Contain("<Color>true</Color>");
        xml.Should().NotContainEquivalentOf("<Password");
    }

    [Test]
    public void A_bad_value_warns_with_file_element_and_range_and_falls_back()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        File.WriteAllText(SettingsFile, "<LanTalkClient><Server>x</Server><Port>99999</Port><Display><Color>maybe</Color></Display></LanTalkClient>");

        var warnings = new List<string>();
        var settings = SettingsStore.Load(SettingsFile, warnings);

        settings.Host.Should().Be("x");
        settings.Port.Should().Be(ServerAddress.DefaultPort);
        settings.Display.Color.Should().BeTrue();
        warnings.Should().HaveCount(2);
        warnings[0].Should().Contain(SettingsFile).And.Contain("<Port>").And.Contain("1 to 65535");
        warnings[1].Should().Contain("<Color>").And.Contain("true or false");
    }

    [Test]
    public void A_misspelt_element_warns_with_file_line_and_the_known_elements()
    {
        // <ReconnectMaxDelay> was ignored without a word, while an out-of-range value is warned about (settings audit).
        var warnings = LoadWarnings("<LanTalkClient version=\"1\">\n  <ReconnectMaxDelay>5</ReconnectMaxDelay>\n  <Display><Colour>false</Colour></Display>\n</LanTalkClient>");

        warnings.Should().HaveCount(2);
        warnings[0].Should().Be($"{SettingsFile}, line 2: unknown element <ReconnectMaxDelay> is ignored and not kept when lantalk next saves the file "
            + "(check the spelling; <LanTalkClient> holds <Server>, <Port>, <User>, <Display>, <ReconnectMaxDelaySeconds>)");
        warnings[1].Should().StartWith($"{SettingsFile}, line 3: unknown element <Display><Colour> is ignored").And.Contain("<Display> holds <Color>, <Seconds>, <Bell>");
    }

    [Test]
    public void A_repeated_element_warns_and_the_first_one_is_used()
    {
        var warnings = new List<string>();
        var settings = Load("<LanTalkClient version=\"1\">\n  <ReconnectMaxDelaySeconds>5</ReconnectMaxDelaySeconds>\n  <ReconnectMaxDelaySeconds>7</ReconnectMaxDelaySeconds>\n"
            + "  <Display><Bell>false</Bell><Bell>true</Bell></Display>\n</LanTalkClient>", warnings);

        settings.ReconnectMaxDelaySeconds.Should().Be(5);
        settings.Display.Bell.Should().BeFalse();
        warnings.Should().Equal(
            $"{SettingsFile}, line 3: <ReconnectMaxDelaySeconds> appears again (first on line 2); the first one is used and this one is ignored",
            $"{SettingsFile}, line 4: <Display><Bell> appears again (first on line 4); the first one is used and this one is ignored");
    }

    [Test]
    public void A_file_lantalk_wrote_has_no_unknown_or_repeated_elements()
    {
        SettingsStore.Save(SettingsFile, new ClientSettings { Host = "h", User = "u", ReconnectMaxDelaySeconds = 5 });

        var warnings = new List<string>();
        SettingsStore.Load(SettingsFile, warnings);
        warnings.Should().BeEmpty();
    }

    private ClientSettings Load(string xml, List<string> warnings)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        File.WriteAllText(SettingsFile, xml);
        return SettingsStore.Load(SettingsFile, warnings);
    }

    private List<string> LoadWarnings(string xml)
    {
        var warnings = new List<string>();
        Load(xml, warnings);
        return warnings;
    }

    [Test]
    public void A_damaged_file_warns_and_gives_defaults()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        File.WriteAllText(SettingsFile, "<LanTalkClient><Server>x</Ser");

        var warnings = new List<string>();
        SettingsStore.Load(SettingsFile, warnings).Should().Be(ClientSettings.Default);
        warnings.Should().ContainSingle().Which.Should().Contain(SettingsFile);
    }

    [Test]
    public void Command_line_options_win_over_remembered_settings()
    {
        SettingsStore.Save(SettingsFile, new ClientSettings { Host = "saved.lan", Port = 7000, User = "alice", Display = new DisplayOptions { Color = true } });
        var env = Environment(new StringWriter());

        SessionPlan.TryResolve(new CommandLine { Server = "other.lan", User = "bob", Color = false }, env, out var plan, out _).Should().BeTrue();
        plan.Server.Should().Be(new ServerAddress("other.lan", ServerAddress.DefaultPort));
        plan.User.Should().Be("bob");
        plan.Display.Color.Should().BeFalse();
    }

    [Test]
    public void Remembered_settings_fill_the_gaps_and_the_same_host_keeps_its_port()
    {
        SettingsStore.Save(SettingsFile, new ClientSettings { Host = "saved.lan", Port = 7000, User = "alice" });
        var env = Environment(new StringWriter());

        SessionPlan.TryResolve(new CommandLine(), env, out var plan, out _).Should().BeTrue();
        plan.Server.Should().Be(new ServerAddress("saved.lan", 7000));
        plan.User.Should().Be("alice");

        SessionPlan.TryResolve(new CommandLine { Server = "SAVED.lan" }, env, out plan, out _).Should().BeTrue();
        plan.Server.Port.Should().Be(7000);
    }

    [TestCase("chat", true)]
    [TestCase("send", false)]
    public void Chat_waits_for_a_confirmation_while_connected_and_send_keeps_its_bound(string kind, bool waits)
    {
        SessionPlan.TryResolve(new CommandLine { Kind = kind == "chat" ? CommandKind.Chat : CommandKind.Send }, Environment(new StringWriter()), out var plan, out _).Should().BeTrue();
        plan.Connect.ConfirmTimeout.Should().Be(waits ? Timeout.InfiniteTimeSpan : null, "a slow server is not a lost message in chat");
    }

    [Test]
    public void Without_settings_the_server_is_localhost_on_the_default_port()
    {
        SessionPlan.TryResolve(new CommandLine(), Environment(new StringWriter()), out var plan, out _).Should().BeTrue();
        plan.Server.Should().Be(new ServerAddress("localhost", 65534));
        plan.User.Should().BeNull();
    }

    [Test]
    public void Remember_writes_server_user_and_display_but_never_the_password()
    {
        var env = Environment(new StringWriter());
        SessionPlan.TryResolve(new CommandLine { Server = "h:9", User = "ALICE", Seconds = true }, env, out var plan, out _).Should().BeTrue();

        plan.Remember("Alice", env, _ => Assert.Fail("no warning expected"));

        var saved = SettingsStore.Load(SettingsFile, new List<string>());
        saved.Should().Be(new ClientSettings { Host = "h", Port = 9, User = "Alice", Display = new DisplayOptions { Seconds = true } });
        File.ReadAllText(SettingsFile).Should().NotContain("secret");
    }

    private AppEnvironment Environment(TextWriter error) => new()
    {
        In = TextReader.Null,
        Out = TextWriter.Null,
        Error = error,
        GetVariable = _ => null,
        Paths = _temp.AppPaths,
    };

    [Test]
    public void Bell_and_the_reconnect_cap_round_trip_and_default_to_on_and_60_s()
    {
        ClientSettings.Default.Display.Bell.Should().BeTrue();
        ClientSettings.Default.ReconnectMaxDelaySeconds.Should().Be(60);
        var settings = new ClientSettings { Host = "h", ReconnectMaxDelaySeconds = 5, Display = new DisplayOptions { Bell = false } };
        SettingsStore.Save(SettingsFile, settings);
        File.ReadAllText(SettingsFile).Should().Contain("<Bell>false</Bell>").And.Contain("<ReconnectMaxDelaySeconds>5</ReconnectMaxDelaySeconds>");
        SettingsStore.Load(SettingsFile, new List<string>()).Should().Be(settings);
    }

    [TestCase("0")]
    [TestCase("3601")]
    [TestCase("soon")]
    public void A_reconnect_cap_out_of_range_is_a_warning_and_the_default(string value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        File.WriteAllText(SettingsFile, $"<LanTalkClient><ReconnectMaxDelaySeconds>{value}</ReconnectMaxDelaySeconds></LanTalkClient>");
        var warnings = new List<string>();
        SettingsStore.Load(SettingsFile, warnings).ReconnectMaxDelaySeconds.Should().Be(60);
        warnings.Should().ContainSingle().Which.Should().Contain("<ReconnectMaxDelaySeconds>").And.Contain("from 1 to 3600");
    }
}
