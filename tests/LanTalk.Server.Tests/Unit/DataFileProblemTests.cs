using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

/// <summary>A permission problem with a data file is explained with its fix; other problems keep the system's words.</summary>
[TestFixture]
public sealed class DataFileProblemTests
{
    [Test]
    public void Access_denied_gets_the_fix_and_other_errors_are_left_as_they_are()
    {
        DataFileProblem.Explain(new UnauthorizedAccessException("Access to the path '/srv/lantalk/Users.xml' is denied."))
            .Should().StartWith("Access to the path '/srv/lantalk/Users.xml' is denied. Make the file").And.Contain("chmod u+rw");
        DataFileProblem.Explain(new IOException("disk on fire")).Should().Be("disk on fire");
    }

    [Test]
    public void A_command_run_as_another_account_is_told_to_run_as_the_files_owner_not_to_chown_them()
    {
        // `user add` or `backup` run as an ordinary account on the service's directory was told to chown the files
        // to that account, which would have locked the server out of its own Users.xml and history.
        string text = DataFileProblem.Advise("Access to the path '/srv/lantalk/Users.xml' is denied.", owner: "lantalk", me: "alice",
            commandLine: ["/opt/lantalk/lantalk-server", "user", "add", "bob", "--data", "/srv/lantalk"]);

        text.Should().StartWith("Access to the path '/srv/lantalk/Users.xml' is denied. It belongs to lantalk, and this command runs as alice")
            .And.Contain("sudo -u lantalk /opt/lantalk/lantalk-server user add bob --data /srv/lantalk")
            .And.NotContain("the account the server runs as").And.NotContain("chmod u+rw");
    }

    [Test]
    public void The_server_is_told_whose_file_it_could_not_open()
    {
        string text = DataFileProblem.Advise("Access to the path '/srv/lantalk/Users.xml' is denied.", owner: "root", me: "lantalk", commandLine: null);

        text.Should().Contain("It belongs to root, and the server runs as lantalk").And.Contain("chown -R lantalk:");
    }
}
