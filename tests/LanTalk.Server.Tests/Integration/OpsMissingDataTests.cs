namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// 'user' commands and 'config check' on a data directory that does not exist (a typo, or the service's --data
/// forgotten): 'user add' made a new, empty directory the running server never read, 'user remove' failed but still
/// wrote an empty Users.xml there, and 'user list' and 'config check' said all was well (a sysadmin audit); 'backup'
/// said "there is no history to back up yet", which read as nothing to do (an operations audit, 2026-12-06).
/// </summary>
[TestFixture]
public sealed class OpsMissingDataTests
{
    [TestCase("user add alice --password-stdin")]
    [TestCase("user remove alice")]
    [TestCase("user list")]
    [TestCase("user passwd alice --password-stdin")]
    [TestCase("config check")]
    [TestCase("backup BACKUP")]
    public async Task A_missing_data_directory_is_refused_naming_it_and_the_fix(string command)
    {
        using var dir = new TempDirectory();
        string data = dir.File("typo");

        var (code, output) = await OpsProcess.RunAsync("long-enough-pw\n", [.. command.Replace("BACKUP", dir.File("b.db"), StringComparison.Ordinal).Split(' '), "--data", data]);

        code.Should().Be(2, output);
        output.Should().Contain($"the data directory {data} (given with --data) does not exist").And.Contain("pass --data with the server's directory");
        Directory.Exists(data).Should().BeFalse("nothing is created");
    }
}
