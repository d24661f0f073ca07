using LanTalk.Server.Cli;
using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Unit;

/// <summary>`service install/uninstall --unit-path F` in-process: only a unit this tool wrote is replaced or removed.</summary>
[TestFixture]
[Platform("Linux")]
public sealed class ServiceInstallerTests : TempDirectoryFixture
{
    private const string Foreign = "[Service]\nExecStart=/usr/sbin/foreignd\n";

    private (int Code, string Output, string Errors) Install(string unitPath, string? dataDirectory = null, string? user = null)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = ServiceInstaller.Install(new CommandLine
        {
            Kind = CommandKind.ServiceInstall,
            DataDirectory = dataDirectory ?? Dir.File("data"),
            UnitPath = unitPath,
            ServiceUser = user,
        }, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private static (int Code, string Output, string Errors) Uninstall(string unitPath, bool dryRun = false)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = ServiceInstaller.Uninstall(new CommandLine { Kind = CommandKind.ServiceUninstall, UnitPath = unitPath, DryRun = dryRun }, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Test]
    public void Install_leaves_a_hand_written_unit_alone_and_says_what_to_do()
    {
        string unit = Dir.File("nginx.service");
        File.WriteAllText(unit, Foreign);

        var (code, _, errors) = Install(unit);

        code.Should().Be(ExitCodes.Usage);
        File.ReadAllText(unit).Should().Be(Foreign);
        errors.Should().Contain(unit).And.Contain("not written by 'lantalk-server service install'").And.Contain("move it away or remove it");
    }

    [Test]
    public void Install_replaces_its_own_earlier_unit_and_names_the_unit_in_the_next_steps()
    {
        string unit = Dir.File("chat.service");

        Install(unit).Code.Should().Be(ExitCodes.Ok);
        var (code, output, errors) = Install(unit);

        code.Should().Be(ExitCodes.Ok, errors);
        output.Should().Contain("systemctl enable --now chat\n").And.Contain("journalctl -u chat -f").And.NotContain("--now lantalk");
        output.Should().Contain($"user add NAME --data {Dir.File("data")}");
    }

    [Test]
    public void Uninstall_removes_only_a_file_with_the_marker()
    {
        string other = Dir.File("important.conf");
        File.WriteAllText(other, "precious\n");

        var (code, output, errors) = Uninstall(other);

        code.Should().Be(ExitCodes.Usage);
        File.Exists(other).Should().BeTrue();
        output.Should().NotContain("Removed");
        errors.Should().Contain(other).And.Contain("not removed");

        string unit = Dir.File("lantalk.service");
        Install(unit).Code.Should().Be(ExitCodes.Ok);
        Uninstall(unit).Code.Should().Be(ExitCodes.Ok);
        File.Exists(unit).Should().BeFalse();
    }

    [Test]
    public void A_dry_run_of_uninstall_checks_the_marker_as_the_real_run_does()
    {
        // The dry run printed "rm FILE" for any file, so it promised a removal the real run would refuse.
        string other = Dir.File("important.conf");
        File.WriteAllText(other, "precious\n");

        var (code, output, errors) = Uninstall(other, dryRun: true);

        code.Should().Be(ExitCodes.Usage);
        output.Should().NotContain("rm ");
        errors.Should().Contain("not removed");

        string unit = Dir.File("lantalk.service");
        Install(unit).Code.Should().Be(ExitCodes.Ok);
        var (ours, said, _) = Uninstall(unit, dryRun: true);
        ours.Should().Be(ExitCodes.Ok);
        said.Should().Contain($"rm {unit}");
        File.Exists(unit).Should().BeTrue("a dry run removes nothing");
    }

    [Test]
    public void Uninstall_of_a_directory_says_it_is_a_directory()
    {
        var (code, _, errors) = Uninstall(Dir.Path);

        code.Should().Be(ExitCodes.Usage);
        errors.Should().Contain("is a directory").And.NotContain("does not exist");
        Directory.Exists(Dir.Path).Should().BeTrue();
    }

    [Test]
    public void A_data_directory_given_as_a_symbolic_link_gets_its_files_handed_over_where_they_are()
    {
        // `chown -R USER: LINK` changes the link alone (-P is chown -R's default), so the files the service must
        // read stayed root's and it exited 2 at its first start: the command names the directory the link leads to.
        string real = Dir.File("real data");
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "Users.xml"), "<Users />");
        string link = Dir.File("data-link");
        Directory.CreateSymbolicLink(link, real);

        var (code, output, errors) = Install(Dir.File("chat.service"), link, "lantalk");

        code.Should().Be(ExitCodes.Ok, errors);
        output.Should().Contain($"sudo chown -R lantalk: '{real}'").And.NotContain($"chown -R lantalk: {link}");
        output.Should().Contain($"{link} is a symbolic link to {real}");
        File.ReadAllText(Dir.File("chat.service")).Should().Contain($"--data {link}");
    }
}
