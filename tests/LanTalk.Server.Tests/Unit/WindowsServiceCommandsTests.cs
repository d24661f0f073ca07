using System.Text;
using LanTalk.Server.Cli;
using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// `service install/uninstall` on Windows, without Windows: the service's command line, and what is made of sc.exe's
/// exit codes (given by a fake sc.exe). `make smoke-win` runs the real thing under Wine's service control manager.
/// </summary>
[TestFixture]
public sealed class WindowsServiceCommandsTests
{
    [TestCase(@"C:\LanTalk\Data\", @"""C:\LanTalk\Data\\""")]
    [TestCase(@"C:\", @"""C:\\""")]
    [TestCase(@"C:\Program Files\LanTalk", @"""C:\Program Files\LanTalk""")]
    [TestCase(@"\\server\share\lantalk\", @"""\\server\share\lantalk\\""")]
    [TestCase(@"a\""b", @"""a\\\""b""")]
    public void A_windows_argument_is_quoted_so_that_the_C_runtime_reads_it_back_unchanged(string argument, string quoted)
    {
        ServiceInstaller.QuoteWindowsArgument(argument).Should().Be(quoted);
        ParseLikeTheCRuntime(quoted).Should().Equal(argument);
    }

    [Test]
    public void A_data_directory_with_a_trailing_backslash_reaches_the_service_whole()
    {
        // "--data "C:\LanTalk\Data\"" gave the service C:\LanTalk\Data" (the backslash escaped the quote): it never started.
        var create = ServiceInstaller.WindowsInstallCommands(@"C:\LanTalk\lantalk-server.exe", @"C:\LanTalk\Data\")[0];

        string binPath = create[Array.IndexOf(create, "binPath=") + 1];
        binPath.Should().Be(@"""C:\LanTalk\lantalk-server.exe"" service run --data ""C:\LanTalk\Data\\""");
        ParseLikeTheCRuntime(binPath).Should().Equal(@"C:\LanTalk\lantalk-server.exe", "service", "run", "--data", @"C:\LanTalk\Data\");
    }

    [Test]
    public void Uninstall_without_the_service_fails_and_says_there_is_none()
    {
        // sc.exe's exit code is the Windows error: 1062 (not started) for the stop, 1060 (no such service) for the delete.
        var (code, output, errors, calls) = Uninstall(stop: 1062, delete: 1060);

        code.Should().Be(ExitCodes.Failure);
        errors.Should().Contain("there is no service 'LanTalk'");
        output.Should().NotContain("removed");
        calls.Should().Equal("stop LanTalk", "delete LanTalk");
    }

    [Test]
    public void Uninstall_that_sc_refuses_fails_and_names_the_elevated_prompt()
    {
        // 5 is access denied (a prompt that is not elevated); Wine's sc.exe exits 1 for every failure.
        foreach (int refused in new[] { 5, 1 })
        {
            var (code, _, errors, _) = Uninstall(stop: refused, delete: refused);

            code.Should().Be(ExitCodes.Failure);
            errors.Should().Contain($"sc.exe delete LanTalk failed (exit code {refused})").And.Contain("elevated");
        }
    }

    [Test]
    public void Uninstall_of_a_stopped_service_deletes_it_and_says_so()
    {
        var (code, output, errors, _) = Uninstall(stop: 1062, delete: 0);

        code.Should().Be(ExitCodes.Ok, errors);
        output.Should().Contain("Service 'LanTalk' removed").And.Contain("data directory was left alone");
    }

    [Test]
    public void A_dry_run_of_uninstall_prints_the_commands_and_runs_none()
    {
        var output = new StringWriter();
        int calls = 0;

        int code = ServiceInstaller.WindowsUninstall(dryRun: true, output, new StringWriter(), _ => ++calls);

        code.Should().Be(ExitCodes.Ok);
        calls.Should().Be(0);
        output.ToString().Should().Be("sc.exe stop LanTalk\nsc.exe delete LanTalk\n".ReplaceLineEndings());
    }

    [Test]
    public void Install_of_a_service_that_exists_says_to_uninstall_first_and_stops()
    {
        var errors = new StringWriter();
        var calls = new List<string>();
        var commands = ServiceInstaller.WindowsInstallCommands(@"C:\LanTalk\lantalk-server.exe", @"C:\LanTalk\Data");

        // 1073: the service already exists.
        int code = ServiceInstaller.WindowsInstall(commands, dryRun: false, new StringWriter(), errors, arguments =>
        {
            calls.Add(arguments[0]);
            return 1073;
        });

        code.Should().Be(ExitCodes.Failure);
        errors.ToString().Should().Contain("already exists").And.Contain("service uninstall").And.NotContain("elevated");
        calls.Should().Equal("create");
    }

    [Test]
    public void A_dry_run_of_install_prints_a_binPath_that_a_prompt_gives_back_whole()
    {
        var output = new StringWriter();
        var commands = ServiceInstaller.WindowsInstallCommands(@"C:\LanTalk\lantalk-server.exe", @"D:\");

        ServiceInstaller.WindowsInstall(commands, dryRun: true, output, new StringWriter(), _ => throw new AssertionException("a dry run runs nothing"));

        string create = output.ToString().Split('\n')[0].TrimEnd('\r');
        ParseLikeTheCRuntime(create).Should().Equal(commands[0].Prepend("sc.exe"));
    }

    private static (int Code, string Output, string Errors, List<string> Calls) Uninstall(int stop, int delete)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var calls = new List<string>();
        int code = ServiceInstaller.WindowsUninstall(dryRun: false, output, errors, arguments =>
        {
            calls.Add(string.Join(' ', arguments));
            return arguments[0] == "stop" ? stop : delete;
        });
        return (code, output.ToString(), errors.ToString(), calls);
    }

    /// <summary>
    /// The C runtime's rules (and CommandLineToArgvW's) for splitting a command line, as Microsoft documents them:
    /// 2n backslashes before a quote give n and the quote opens or closes, 2n+1 give n and a literal quote, and
    /// backslashes anywhere else are literal. ("" inside quotes, an old special case, is not needed here.)
    /// </summary>
    private static List<string> ParseLikeTheCRuntime(string commandLine)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        bool inQuotes = false, any = false;
        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            if (c == '\\')
            {
                int run = 0;
                while (i < commandLine.Length && commandLine[i] == '\\')
                {
                    run++;
                    i++;
                }

                if (i < commandLine.Length && commandLine[i] == '"')
                {
                    current.Append('\\', run / 2);
                    if (run % 2 == 1)
                    {
                        current.Append('"');
                        any = true;
                        continue;
                    }

                    i--;
                }
                else
                {
                    current.Append('\\', run);
                    i--;
                }

                any = true;
                continue;
            }

            if (c == '"')
            {
                inQuotes = !inQuotes;
                any = true;
            }
            else if (c == ' ' && !inQuotes)
            {
                if (any)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            arguments.Add(current.ToString());
        }

        return arguments;
    }
}
