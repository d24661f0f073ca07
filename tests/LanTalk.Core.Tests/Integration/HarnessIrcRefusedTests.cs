using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// lantalk-harness irc --server against a port where nothing listens (the IRC server not started yet, or a wrong
/// port): it died with an unhandled SocketException and a stack trace (exit 134) instead of a failed run that says why,
/// as `load --server` does (a README audit, 2026-12-07).
/// </summary>
[TestFixture]
public sealed class HarnessIrcRefusedTests
{
    [Test]
    public async Task Irc_against_a_closed_port_is_a_failed_run_that_names_the_refusal()
    {
        int port;
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            // A port that was free a moment ago and now has no listener: connections to it are refused.
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        }

        var (code, output, error) = await HarnessProcess.RunAsync(
            ["irc", "--server", $"127.0.0.1:{port}", "--scenario", "design-32", "--clients", "2", "--no-progress"], TimeSpan.FromSeconds(60));

        error.Should().NotContain("Unhandled exception");
        code.Should().Be(1, error);
        output.Should().Contain("2 of 2 clients could not connect and join").And.Contain("refused");
    }
}
