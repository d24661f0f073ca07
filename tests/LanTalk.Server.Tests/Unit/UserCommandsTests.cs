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

    [Test]
    public void User_remove_of_an_unknown_name_is_an_error_on_stderr()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        UserCommands.Run(new CommandLine { Kind = CommandKind.UserRemove, UserName = "nobody" }, Dir.Path, output, errors).Should().Be(ExitCodes.Failure);

        output.ToString().Should().BeEmpty();
        errors.ToString().Should().StartWith("lantalk-server: no user named 'nobody'").And.EndWith(Environment.NewLine);
    }
}
