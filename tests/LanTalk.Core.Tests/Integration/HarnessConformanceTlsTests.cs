using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// lantalk-harness conformance --server against a running server that requires TLS, run without --tls (the
/// harness's default is plaintext): README's "Testing against a server on another machine" line, as written, against
/// a server on its defaults. It died with an unhandled CheckFailedException and a stack trace (exit 134, SIGABRT)
/// instead of a set-up error that names the options to add (a README audit, 2026-12-07).
/// </summary>
[TestFixture]
public sealed class HarnessConformanceTlsTests
{
    [Test]
    public async Task Conformance_without_tls_against_a_tls_server_is_a_set_up_error_naming_tls_and_trust()
    {
        await using var server = await TestServer.StartTlsAsync("load0");

        var (code, output, error) = await HarnessProcess.RunAsync(["conformance", "--server", server.Address], TimeSpan.FromSeconds(60));

        error.Should().NotContain("Unhandled exception");
        code.Should().Be(2, error);
        error.Should().Contain("lantalk-harness: ").And.Contain("requires TLS").And.Contain("--tls --trust FINGERPRINT");
        output.Should().NotContain("passed");
    }
}
