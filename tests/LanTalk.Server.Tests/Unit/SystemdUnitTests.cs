using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Unit;

[TestFixture]
public sealed class SystemdUnitTests
{
    private static readonly UnitSpec s_spec = new() { ExecutablePath = "/opt/lantalk/lantalk-server", DataDirectory = "/var/lib/lantalk", User = "lantalk" };

    private static string[] Lines(UnitSpec spec) => SystemdUnit.Render(spec).Split('\n');

    [Test]
    public void Unit_runs_service_run_with_the_absolute_executable_and_data_directory()
    {
        var lines = Lines(s_spec);

        lines.Should().Contain("ExecStart=/opt/lantalk/lantalk-server service run --data /var/lib/lantalk");
        lines.Should().Contain("Type=notify");
        lines.Should().Contain("User=lantalk");
        lines.Should().Contain("WorkingDirectory=/var/lib/lantalk");
    }

    [Test]
    public void Unit_restarts_on_failure_but_not_on_configuration_errors()
    {
        var lines = Lines(s_spec);

        lines.Should().Contain("Restart=on-failure").And.Contain("RestartPreventExitStatus=2");
        lines.Should().Contain("LimitNOFILE=20000");
    }

    [Test]
    public void Unit_is_hardened_with_write_access_to_the_data_directory_only()
    {
        var lines = Lines(s_spec);

        lines.Should().Contain(["NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/lantalk", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet="]);
        lines.Should().Contain("[Install]").And.Contain("WantedBy=multi-user.target");
    }

    [Test]
    public void Unit_lets_the_server_list_its_network_interfaces_over_netlink()
    {
        // Without AF_NETLINK the server under this unit saw no interface: it printed "only this machine can connect"
        // and had nothing to announce on.
        var families = Lines(s_spec).Single(l => l.StartsWith("RestrictAddressFamilies=", StringComparison.Ordinal));

        families.Split('=')[1].Split(' ').Should().BeEquivalentTo("AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK");
    }

    [TestCase("/tmp/lantalk/data", "/opt/lantalk/lantalk-server")]
    [TestCase("/var/lib/lantalk", "/tmp/build/lantalk-server")]
    [TestCase("/var/tmp/lantalk", "/opt/lantalk/lantalk-server")]
    public void Data_or_executable_under_tmp_gets_no_PrivateTmp(string data, string exe)
    {
        // PrivateTmp=yes hides the real /tmp and /var/tmp from the service: its data or executable would be gone.
        var lines = Lines(s_spec with { DataDirectory = data, ExecutablePath = exe });

        lines.Should().NotContain("PrivateTmp=yes").And.Contain($"ReadWritePaths={data}");
    }

    [Test]
    public void Unit_starts_with_the_marker_that_install_and_uninstall_look_for()
    {
        string text = SystemdUnit.Render(s_spec);

        text.Should().StartWith(SystemdUnit.Marker);
        SystemdUnit.IsOurs(text).Should().BeTrue();
        SystemdUnit.IsOurs("[Service]\nExecStart=/usr/sbin/foreignd\n").Should().BeFalse();
    }

    [TestCase("/etc/systemd/system/chat.service", "chat")]
    [TestCase("/etc/systemd/system/lantalk.service", "lantalk")]
    [TestCase("/tmp/unit", "lantalk")]
    public void Service_name_is_the_unit_file_name_less_service(string path, string name) =>
        SystemdUnit.ServiceName(path).Should().Be(name);

    [Test]
    public void Without_a_user_the_unit_has_no_User_line() =>
        Lines(s_spec with { User = null }).Should().NotContain(l => l.StartsWith("User=", StringComparison.Ordinal));

    [Test]
    public void Data_under_home_keeps_home_readable_and_the_data_writable()
    {
        var lines = Lines(s_spec with { DataDirectory = "/home/ops/lantalk" });

        lines.Should().Contain("ProtectHome=read-only").And.Contain("ReadWritePaths=/home/ops/lantalk");
    }

    [Test]
    public void A_privileged_port_gets_exactly_the_bind_capability()
    {
        var lines = Lines(s_spec with { Port = 443 });

        lines.Should().Contain("AmbientCapabilities=CAP_NET_BIND_SERVICE").And.Contain("CapabilityBoundingSet=CAP_NET_BIND_SERVICE");
    }

    [Test]
    public void Percent_signs_are_escaped_for_systemd() =>
        Lines(s_spec with { DataDirectory = "/srv/100%" }).Should().Contain("ReadWritePaths=/srv/100%%");

    [TestCase("/srv/my data")]
    [TestCase("relative/data")]
    [TestCase("/srv/\"q\"")]
    public void Paths_systemd_cannot_hold_literally_are_refused(string data)
    {
        var act = () => SystemdUnit.Render(s_spec with { DataDirectory = data });

        act.Should().Throw<ArgumentException>().WithMessage("*data directory*");
    }

    [Test]
    public void Install_with_a_user_over_a_data_directory_that_holds_files_tells_how_to_give_them_all_to_that_user()
    {
        // A server first started by hand left owner-only files there; "install -d -o USER" changed the directory only,
        // and the service then could not read its key or history and exited 2 for good.
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("systemd units are Linux only");
        }

        using var data = new TempDirectory();
        File.WriteAllText(data.File("Users.xml"), "<Users version=\"1\" />");
        var output = new StringWriter();
        var errors = new StringWriter();
        var command = new LanTalk.Server.Cli.CommandLine { DataDirectory = data.Path, UnitPath = data.File("lantalk.service"), ServiceUser = "nobody" };

        ServiceInstaller.Install(command, output, errors).Should().Be(0, errors.ToString());

        output.ToString().Should().Contain("already holds files").And.Contain($"sudo chown -R nobody: {data.Path}");
    }

    [Test]
    public void Windows_service_is_created_with_service_run_and_restart_on_failure()
    {
        var commands = ServiceInstaller.WindowsInstallCommands(@"C:\LanTalk\lantalk-server.exe", @"C:\ProgramData\LanTalk");

        commands[0].Should().Equal("create", "LanTalk", "binPath=", "\"C:\\LanTalk\\lantalk-server.exe\" service run --data \"C:\\ProgramData\\LanTalk\"",
            "start=", "auto", "DisplayName=", "LanTalk chat server");
        commands.Should().Contain(c => c[0] == "failure");
    }
}
