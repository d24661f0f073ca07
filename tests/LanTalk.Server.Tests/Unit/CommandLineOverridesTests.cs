using LanTalk.Server.Cli;
using LanTalk.Server.Hosting;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// --port, --listen and --plaintext apply after Settings.xml's own checks: a file that is fine alone can clash with
/// them, and the clash must name the file, the element and the fix (it was an ArgumentException in the listener).
/// </summary>
[TestFixture]
public sealed class CommandLineOverridesTests
{
    private const string File = "/data/Settings.xml";

    [Test]
    public void Plaintext_with_an_IrcTlsPort_names_the_element_and_both_fixes()
    {
        var fromFile = ServerSettings.Default with { IrcTlsPort = 0 };

        string? problem = CommandLineOverrides.Problem(fromFile, new CommandLine { Plaintext = true }, File);

        problem.Should().NotBeNull().And.Contain(File).And.Contain("<IrcTlsPort> is 0").And.Contain("--plaintext")
            .And.Contain("<IrcTlsPort>-1</IrcTlsPort>").And.Contain("run without --plaintext").And.NotContain("<TlsMode>Required");
    }

    [Test]
    public void A_port_option_equal_to_the_IrcPort_names_the_option_and_the_elements()
    {
        var fromFile = ServerSettings.Default with { IrcPort = 6667 };

        string? problem = CommandLineOverrides.Problem(fromFile, new CommandLine { Port = 6667 }, File);

        problem.Should().NotBeNull().And.Contain(File).And.Contain("--port 6667").And.Contain("<IrcPort> and <Port> are both 6667");
    }
}
