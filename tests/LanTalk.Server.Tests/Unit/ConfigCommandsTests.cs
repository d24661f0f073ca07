using LanTalk.Server.Cli;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

[TestFixture]
[NonParallelizable]
public sealed class ConfigCommandsTests : TempDirectoryFixture
{
    [Test]
    public void Check_prints_every_effective_value_and_marks_the_changed_ones()
    {
        File.WriteAllText(Dir.File("Settings.xml"), "<Settings><Port>6000</Port></Settings>");
        var output = new StringWriter();

        ConfigCommands.Check(Dir.Path, output, new StringWriter()).Should().Be(ExitCodes.Ok);

        string text = output.ToString();
        text.Should().MatchRegex(@"Port\s+6000\s+\(changed from the default 65534\)");
        SettingRules.All.Should().AllSatisfy(r => text.Should().Contain(r.Element));
    }

    [TestCase("lantalk-server.lock")]
    [TestCase("history.db.lock")]
    [TestCase("Users.xml.lock")]
    public void A_lock_file_that_is_a_directory_is_named_by_config_check_and_stops_the_start(string name)
    {
        Directory.CreateDirectory(Dir.File(name));
        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);

        errors.ToString().Should().Contain($"{Dir.File(name)} is a directory, not a lock file").And.Contain("Remove it");
        if (name == "lantalk-server.lock")
        {
            // Access denied, a warning, and a second server could start on the same directory.
            FluentActions.Invoking(() => Hosting.DataDirectoryLock.Take(Dir.Path, _ => { })).Should().Throw<Hosting.StartupException>()
                .Which.Message.Should().Contain("is a directory, not a lock file");
        }
    }

    [Test]
    [Platform(Include = "Linux", Reason = "file types and links are checked with statx")]
    public void A_lock_file_that_is_a_link_to_a_data_file_stops_the_start_naming_the_link()
    {
        // Before, the lock was taken on the file the link led to, and the start then failed reading Users.xml with
        // "being used by another process", naming Users.xml and not the link (fault injection, 2026-12-04).
        File.WriteAllText(Dir.File("Users.xml"), "<Users />");
        File.CreateSymbolicLink(Dir.File("lantalk-server.lock"), Dir.File("Users.xml"));

        FluentActions.Invoking(() => Hosting.DataDirectoryLock.Take(Dir.Path, _ => { })).Should().Throw<Hosting.StartupException>()
            .Which.Message.Should().Contain($"{Dir.File("lantalk-server.lock")} is a symbolic link, not a lock file").And.Contain("Remove it");
        File.ReadAllText(Dir.File("Users.xml")).Should().Be("<Users />");
    }

    [Test]
    public void Check_exits_2_on_a_bad_setting_and_on_a_broken_NLog_config()
    {
        File.WriteAllText(Dir.File("Settings.xml"), "<Settings><Port>-1</Port></Settings>");
        var errors = new StringWriter();
        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain("<Port>").And.Contain("'-1'");

        File.Delete(Dir.File("Settings.xml"));
        File.WriteAllText(Dir.File("NLog.config"), "<nlog><targets><target name=\"x\" type=\"Nope\" /></targets></nlog>");
        errors = new StringWriter();
        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain("logging: " + Dir.File("NLog.config")).And.Contain("delete NLog.config to use the built-in logging configuration");

        File.WriteAllText(Dir.File("NLog.config"), string.Empty);
        errors = new StringWriter();
        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain("show-defaults nlog", "an empty NLog.config is named with the fix, as the other files are");
    }

    [Test]
    public void Check_refuses_a_message_limit_whose_frame_to_a_room_would_be_too_long()
    {
        // config check said OK, and the server started, with a limit whose room messages made 65,564-byte frames.
        File.WriteAllText(Dir.File("Settings.xml"), "<Settings><MaxUserNameLength>1</MaxUserNameLength><MaxMessageBytes>65465</MaxMessageBytes></Settings>");
        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain(Dir.File("Settings.xml")).And.Contain("<MaxMessageBytes> (65465)");
    }

    [Test]
    public void Check_names_every_bad_setting_in_one_run()
    {
        // A first release's Settings.xml with three values out of today's ranges took three failed checks, one each (an upgrade audit).
        File.WriteAllText(Dir.File("Settings.xml"), "<Settings>\n<MaxFrameSize>1048576</MaxFrameSize>\n<MaxMessageBytes>200000</MaxMessageBytes>\n"
            + "<MaxUserNameLength>300</MaxUserNameLength>\n</Settings>");
        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);

        string text = errors.ToString();
        text.Should().Contain("3 settings must change")
            .And.Contain(Dir.File("Settings.xml") + ", line 2: <MaxFrameSize> has the bad value '1048576'; allowed: a whole number from 1024 to 65536")
            .And.Contain(Dir.File("Settings.xml") + ", line 3: <MaxMessageBytes> has the bad value '200000'; allowed: a whole number from 1 to 65535")
            .And.Contain(Dir.File("Settings.xml") + ", line 4: <MaxUserNameLength> has the bad value '300'; allowed: a whole number from 1 to 128");
    }

    [Test]
    public void Show_defaults_prints_the_shipped_files()
    {
        var output = new StringWriter();

        ConfigCommands.ShowDefaults("all", output, TextWriter.Null, outputRedirected: true);

        output.ToString().Should().Contain("<PasswordIterations>600000</PasswordIterations>").And.Contain("<nlog");
    }

    [Test]
    public void Show_defaults_says_MaxClients_counts_sessions_as_the_server_does()
    {
        // The shipped comment said "Logged-in users at once", but every logged-in session counts (PROTOCOL.md,
        // Admission): one user with two lantalk windows and an IRC client takes three. A README audit (2026-12-07).
        var output = new StringWriter();

        ConfigCommands.ShowDefaults("settings", output, TextWriter.Null, outputRedirected: true);

        string text = output.ToString();
        string comment = text[..text.IndexOf("<MaxClients>", StringComparison.Ordinal)];
        comment = comment[comment.LastIndexOf("<!--", StringComparison.Ordinal)..];
        comment.Should().Contain("sessions").And.NotContain("users at once");
    }

    [Test]
    public void Show_defaults_with_no_file_named_into_a_redirect_refuses_instead_of_writing_two_documents()
    {
        // `config show-defaults > Data/Settings.xml` wrote Settings.xml and NLog.config into one file, which the
        // server then refused at start (a usability audit, 2026-12-06).
        var output = new StringWriter();
        var errors = new StringWriter();

        int code = ConfigCommands.ShowDefaults(null, output, errors, outputRedirected: true);

        code.Should().Be(ExitCodes.Usage);
        output.ToString().Should().BeEmpty();
        errors.ToString().Should().Contain("show-defaults settings > DATA_DIR/Settings.xml");

        var terminal = new StringWriter();
        ConfigCommands.ShowDefaults(null, terminal, TextWriter.Null, outputRedirected: false).Should().Be(ExitCodes.Ok);
        terminal.ToString().Should().Contain("<Settings").And.Contain("<nlog", "on a terminal, for reading, both are shown");
    }

    // Each of these stopped the start with exit 2 while `config check` said all was well (exit 0).
    [TestCase("Users.xml", "<Users version=\"1\"><User name=\"x\"", "accounts: ", "not valid XML")]
    [TestCase("Rooms.xml", "<Rooms><Room name=\"dev\"><Member name=\"a b\" /></Room></Rooms>", "rooms: ", "not a valid user name")]
    [TestCase("Rooms.xml", null, "rooms: ", "is a directory, not a file")]
    [TestCase("Users.xml", null, "accounts: ", "is a directory, not a file")]
    [TestCase("history.db", null, "history: ", "is a directory, not a file")]
    public void Check_fails_on_every_file_start_up_refuses(string file, string? content, string what, string why)
    {
        if (content is null)
        {
            Directory.CreateDirectory(Dir.File(file));
        }
        else
        {
            File.WriteAllText(Dir.File(file), content);
        }

        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage, errors.ToString());
        errors.ToString().Should().Contain(what + Dir.File(file)).And.Contain(why);
    }

    [Test]
    public void Check_warns_of_the_owner_the_start_would_give_an_ownerless_room()
    {
        File.WriteAllText(Dir.File("Rooms.xml"), "<Rooms><Room name=\"other\"><Member name=\"u2\" joined=\"1\" /></Room></Rooms>");
        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Ok, errors.ToString());

        errors.ToString().Should().Contain($"warning: {Dir.File("Rooms.xml")}: room 'other' has members but no <Owner>").And.Contain("'u2'");
    }

    [Test]
    public void Check_warns_of_an_account_longer_than_MaxUserNameLength_with_both_fixes()
    {
        File.WriteAllText(Dir.File("Settings.xml"), "<Settings><MaxUserNameLength>8</MaxUserNameLength></Settings>");
        using (var store = UserStore.Open(Dir.Path, ServerSettings.Default))
        {
            store.Add("longnameuser12", "a password", iterations: 1000);
            store.Add("short", "a password", iterations: 1000);
        }

        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Ok);

        errors.ToString().Should().Contain("warning: Account 'longnameuser12' has 14 characters, more than <MaxUserNameLength> 8 in " + Dir.File("Settings.xml"))
            .And.Contain("Raise <MaxUserNameLength> to 14").And.NotContain("'short'");
    }

    [Test]
    public void Check_warns_of_an_account_made_before_the_GuestPrefix_rule_that_starts_with_the_prefix()
    {
        // README promised this warning for 'guest-bob' from before the rule; only the NFD account got one (an upgrade audit).
        using (var store = UserStore.Open(Dir.Path, ServerSettings.Default))
        {
            store.Add("guest-bob", "a password", iterations: 1000);
            store.Add("bob", "a password", iterations: 1000);
        }

        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Ok, errors.ToString());

        errors.ToString().Should().Contain("warning: Account 'guest-bob' starts with <GuestPrefix> 'guest-'").And.Contain("keeps working")
            .And.Contain("lantalk-server user remove guest-bob").And.NotContain("Account 'bob'");
    }

    [Test]
    [Platform(Include = "Linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Check_warns_of_a_Users_xml_that_group_or_others_can_read()
    {
        using (var store = UserStore.Open(Dir.Path, ServerSettings.Default))
        {
            store.Add("alice", "a password", iterations: 1000);
        }

        File.SetUnixFileMode(Dir.File("Users.xml"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var errors = new StringWriter();

        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Ok);

        errors.ToString().Should().Contain($"warning: {Dir.File("Users.xml")} is readable by group or others (mode 0644)").And.Contain("start-up makes it 0600");
        File.GetUnixFileMode(Dir.File("Users.xml")).Should().HaveFlag(UnixFileMode.OtherRead, "a check changes nothing");
    }

    [Test]
    public void Check_counts_the_accounts_and_saved_rooms()
    {
        var output = new StringWriter();

        ConfigCommands.Check(Dir.Path, output, new StringWriter()).Should().Be(ExitCodes.Ok);

        output.ToString().Should().Contain($"Accounts: 0 in {Dir.File("Users.xml")}").And.Contain($"Rooms: 0 saved in {Dir.File("Rooms.xml")}");
    }
}
