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
    public void Add_test_users_refuses_to_replace_an_existing_account_and_names_it()
    {
        // The ops audit's M2: a real dev1 silently got the shared weak test password at 1000 iterations.
        using (var store = UserStore.Open(Dir.Path, ServerSettings.Default with { PasswordIterations = 1000 }))
        {
            store.Add("dev1", "RealPassword99");
        }

        var output = new StringWriter();
        var errors = new StringWriter();
        var command = new CommandLine { Kind = CommandKind.UserAddTestUsers, Prefix = "dev", Count = 3, PasswordFromStdin = true };

        int code = WithStdin("weak\n", () => Catching(() => UserCommands.Run(command, Dir.Path, output, errors), errors));

        code.Should().NotBe(ExitCodes.Ok);
        errors.ToString().Should().Contain("dev1").And.Contain("--replace");
        using var reread = UserStore.Open(Dir.Path, ServerSettings.Default);
        reread.Verify("dev1", "RealPassword99").Should().NotBeNull("the real account keeps its password");
        reread.Find("dev0").Should().BeNull("nothing is written");
    }

    [Test]
    public void Add_test_users_with_replace_replaces_an_existing_account_and_says_so()
    {
        using (var store = UserStore.Open(Dir.Path, ServerSettings.Default with { PasswordIterations = 1000 }))
        {
            store.Add("load1", "whatever-pw");
        }

        var output = new StringWriter();
        var command = new CommandLine { Kind = CommandKind.UserAddTestUsers, Prefix = "load", Count = 2, PasswordFromStdin = true, Replace = true };

        WithStdin("pw\n", () => UserCommands.Run(command, Dir.Path, output, new StringWriter())).Should().Be(ExitCodes.Ok);

        output.ToString().Should().Contain("Replaced the password of 1 existing account(s): load1");
        using var reread = UserStore.Open(Dir.Path, ServerSettings.Default);
        reread.Verify("load1", "pw").Should().NotBeNull();
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

    /// <summary>Runs a command that reads standard input (the password); the console's reader is put back after.</summary>
    private static int WithStdin(string input, Func<int> run)
    {
        var before = Console.In;
        Console.SetIn(new StringReader(input));
        try
        {
            return run();
        }
        finally
        {
            Console.SetIn(before);
        }
    }

    /// <summary>What Program does with a UserStoreException: the message on standard error, exit 1.</summary>
    private static int Catching(Func<int> run, TextWriter errors)
    {
        try
        {
            return run();
        }
        catch (UserStoreException ex)
        {
            errors.WriteLine($"lantalk-server: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static void Damage(string file, string user)
    {
        var document = System.Xml.Linq.XDocument.Load(file);
        document.Root!.Elements("User").Single(u => (string?)u.Attribute("name") == user).Element("Password")!.SetAttributeValue("hash", "AAAA");
        document.Save(file);
    }
}
