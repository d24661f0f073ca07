using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using LanTalk.Core.Client;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// The real lantalk-server process: what a client sends before it logs in cannot write lines of its own into the
/// log file or the console (an ops audit: a login name with a newline forged ERROR lines there).
/// </summary>
[TestFixture]
public sealed class OpsLogForgeryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private TempDirectory _data = null!;

    [SetUp]
    public void SetUp() => _data = new TempDirectory();

    [TearDown]
    public void TearDown() => _data.Dispose();

    // Long (refused as InvalidUserName) and short (AuthFailed): two paths to the same log line. By index: a test
    // case name holding CR and ESC was dropped by the test discovery.
    private static readonly string[] s_names = ["x\n2026-01-01 00:00:00.0000 ERROR LanTalk.Server FORGED", "a\nFAKE LINE\u001b[2J\rFORGED"];

    [TestCase(0)]
    [TestCase(1)]
    public async Task A_login_name_with_a_newline_is_one_escaped_line_in_the_log_file_and_on_the_console(int which)
    {
        string name = s_names[which];
        await using var server = OpsProcess.Start("--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        int port = await server.WaitForPortAsync();

        await using (var client = new ChatClient(new ChatClientOptions { ConnectTimeout = Timeout, RequestTimeout = Timeout }))
        {
            await client.ConnectAsync("127.0.0.1", port);
            Func<Task> login = () => client.LoginAsync(name, "wrong password");
            await login.Should().ThrowAsync<Exception>("there is no such account");
        }

        await server.WaitForLineAsync(new Regex("' refused"), Timeout);
        string escaped = name.Replace("\n", @"\n", StringComparison.Ordinal).Replace("\r", @"\r", StringComparison.Ordinal).Replace("\u001b", @"\u001B", StringComparison.Ordinal);
        string[] log = File.ReadAllText(Path.Combine(_data.Path, "logs", "lantalk-server.log")).Split('\n');
        foreach (var (what, lines) in new[] { ("log file", log), ("console", server.Output.Split('\n')) })
        {
            string all = string.Join("\n", lines);
            lines.Where(l => l.Contains("refused", StringComparison.Ordinal)).Should().ContainSingle(what + ":\n" + all)
                .Which.Should().Contain($"login as '{escaped}' refused", what);
            lines.Should().NotContain(l => l.StartsWith("2026-01-01", StringComparison.Ordinal) || l.StartsWith("FAKE", StringComparison.Ordinal), what);
            all.Should().NotContain("\u001b[2J", what).And.NotContain("\r", what);
        }
    }

    [Test]
    public async Task An_IRC_QUIT_reason_with_ESC_and_CR_reaches_neither_the_log_file_nor_the_console_raw()
    {
        int ircPort = FreePort();
        File.WriteAllText(_data.File("Settings.xml"), $"<Settings><PasswordIterations>1000</PasswordIterations><IrcPort>{ircPort}</IrcPort></Settings>");
        (await OpsProcess.RunAsync("correct horse\n", "user", "add", "alice", "--password-stdin", "--data", _data.Path)).ExitCode.Should().Be(0);
        await using var server = OpsProcess.Start("--data", _data.Path, "--plaintext", "--listen", "127.0.0.1", "--port", "0");
        await server.WaitForLineAsync(new Regex("IRC gateway listening"), Timeout);

        using (var irc = new TcpClient())
        {
            await irc.ConnectAsync(IPAddress.Loopback, ircPort);
            await irc.GetStream().WriteAsync(Encoding.UTF8.GetBytes("PASS :alice:correct horse\r\nNICK alice\r\nUSER a 0 * :x\r\nQUIT :q\u001b[2J\rFORGED\r\n"));
            await server.WaitForLineAsync(new Regex("disconnected: Quit: q"), Timeout);
        }

        string log = File.ReadAllText(Path.Combine(_data.Path, "logs", "lantalk-server.log"));
        foreach (var (what, text) in new[] { ("log file", log), ("console", server.Output) })
        {
            text.Should().Contain(@"disconnected: Quit: q\u001B[2J\rFORGED", what).And.NotContain("\u001b", what).And.NotContain("\r", what);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
