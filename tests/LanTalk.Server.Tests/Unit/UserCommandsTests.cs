using LanTalk.Server.Cli;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>`lantalk-server user ...`: what goes to standard output (the product) and what to standard error (errors).</summary>
[TestFixture]
public sealed class UserCommandsTests : TempDirectoryFixture
{
    [Test]
    public void User_list_writes_its_header_table_and_total_to_stdout_in_whole_lines_and_nothing_to_stderr()
    {
        using (var store = UserStore.Open(Dir.Path, ServerSettings.Default with { PasswordIterations = 1000 }))
        {
            store.Add("alice", "long-enough-pw", iterations: 1000);
            store.Add("bob", "long-enough-pw", iterations: 1000);
        }

        var output = new StringWriter();
        var errors = new StringWriter();

        UserCommands.Run(new CommandLine { Kind = CommandKind.UserList }, Dir.Path, output, errors).Should().Be(ExitCodes.Ok);

        errors.ToString().Should().BeEmpty("'user list > file' must hold the whole listing");
        string file = Dir.File(UsersFile.FileName);
        var lines = output.ToString().Split(Environment.NewLine);
        lines[0].Should().Be($"Accounts in {file}:");
        lines[1].Should().StartWith("NAME");
        lines[2].Should().StartWith("alice");
        lines[3].Should().StartWith("bob");
        lines[4].Should().Be($"2 account(s) in {file}");
        lines[5].Should().BeEmpty("the last line ends with a newline");
        lines.Should().HaveCount(6);
    }

    [TestCase("guest-bob", "'guest-'")]
    [TestCase("bob\uFE0F", "U+FE0F")]
    public void User_add_refuses_a_guest_prefixed_or_invisibly_marked_name_before_asking_for_a_password(string name, string named)
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        UserCommands.Run(new CommandLine { Kind = CommandKind.UserAdd, UserName = name }, Dir.Path, output, errors).Should().Be(ExitCodes.Usage);

        output.ToString().Should().BeEmpty();
        errors.ToString().Should().StartWith($"lantalk-server: '{name}' is not a valid user name: ").And.Contain(named);
        File.Exists(Dir.File(UsersFile.FileName)).Should().BeFalse("nothing was added");
    }

    [Test]
    public void User_remove_of_an_unknown_name_is_an_error_on_stderr()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        UserCommands.Run(new CommandLine { Kind = CommandKind.UserRemove, UserName = "nobody" }, Dir.Path, output, errors).Should().Be(ExitCodes.Failure);

        output.ToString().Should().BeEmpty();
        errors.ToString().Should().StartWith("lantalk-server: no user named 'nobody'").And.EndWith(Environment.NewLine);
    }

    [Test]
    public void The_commands_a_damaged_password_entry_advises_mend_it_and_touch_no_other_account()
    {
        // "reset the password with 'lantalk-server user passwd zed'" failed with that same error (an ops audit, 2026-12-05).
        var settings = ServerSettings.Default with { PasswordIterations = 1000 };
        using (var store = UserStore.Open(Dir.Path, settings))
        {
            store.Add("alice", "long-enough-pw", iterations: 1000);
            store.Add("zed", "long-enough-pw", iterations: 1000);
            store.Add("yan", "long-enough-pw", iterations: 1000);
        }

        string file = Dir.File(UsersFile.FileName);
        Damage(file, "zed");
        FluentActions.Invoking(() => UserStore.Open(Dir.Path, settings).Dispose()).Should().Throw<UserStoreException>().WithMessage("*user passwd zed*");

        using (var repairing = UserStore.Open(Dir.Path, settings, repairing: "zed"))
        {
            repairing.Verify("zed", "long-enough-pw").Should().BeNull("the damaged entry matches no password");
            repairing.SetPassword("zed", "a-new-password");
        }

        Damage(file, "yan");
        var output = new StringWriter();
        var errors = new StringWriter();
        UserCommands.Run(new CommandLine { Kind = CommandKind.UserRemove, UserName = "yan" }, Dir.Path, output, errors).Should().Be(ExitCodes.Ok, errors.ToString());

        using var mended = UserStore.Open(Dir.Path, settings);
        mended.Verify("zed", "a-new-password").Should().NotBeNull();
        mended.Verify("alice", "long-enough-pw").Should().NotBeNull("the other accounts are as they were");
        mended.Find("yan").Should().BeNull();
    }

    private static void Damage(string file, string user)
    {
        var document = System.Xml.Linq.XDocument.Load(file);
        document.Root!.Elements("User").Single(u => (string?)u.Attribute("name") == user).Element("Password")!.SetAttributeValue("hash", "AAAA");
        document.Save(file);
    }
}
