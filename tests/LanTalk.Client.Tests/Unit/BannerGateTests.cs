using LanTalk.Client.Chat;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Unit;

/// <summary>What arrives right after the login (stored messages, replays) is printed after the "connected" banner.</summary>
public sealed class BannerGateTests
{
    [Test]
    public void Lines_and_status_before_the_banner_wait_and_follow_it_in_order()
    {
        var screen = new LinesOutput();
        var gate = new BannerGate(screen);
        gate.Line("[private] bob -> alice: stored");
        gate.Status("-- a status");
        gate.Line("#dev bob: replayed");
        screen.Lines.Should().BeEmpty("the banner has not been printed yet");

        gate.Open(banner =>
        {
            banner.Status("-- connected");
            banner.Line("-- online (2): alice, bob");
        });

        screen.Lines.Should().Equal("-- connected", "-- online (2): alice, bob", "[private] bob -> alice: stored", "-- a status", "#dev bob: replayed");
        gate.Line("live");
        screen.Lines[^1].Should().Be("live");
    }

    [Test]
    public void Opening_again_prints_no_second_banner()
    {
        var screen = new LinesOutput();
        var gate = new BannerGate(screen);
        gate.Open(banner => banner.Status("-- connected"));
        gate.Open(banner => banner.Status("-- connected"));

        screen.Lines.Should().Equal("-- connected");
    }
}
