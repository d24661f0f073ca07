using LanTalk.Client.Chat;
using LanTalk.Client.Settings;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

/// <summary>Lines the client dates itself use the server's clock, which dates everything else, not this machine's.</summary>
public sealed class ChatPrinterServerClockTests
{
    private static (ChatPrinter Printer, LinesOutput Output) Printer(TimeSpan clientAhead)
    {
        var clock = new SteppedWallClock();
        clock.Step(clientAhead);
        var output = new LinesOutput();
        var formatter = new MessageFormatter(new DisplayOptions(), color: false, TimeZoneInfo.Utc, singleLine: true);
        var printer = new ChatPrinter(output, formatter, null, () => "alice") { Clock = clock };
        printer.NoteServerTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return (printer, output);
    }

    [TestCase(3)]
    [TestCase(-3)]
    public void A_fresh_login_is_dated_by_the_server_when_this_machines_clock_is_hours_off(int hours)
    {
        var (printer, output) = Printer(TimeSpan.FromHours(hours));
        var fresh = DateTimeOffset.UtcNow.AddSeconds(-2);

        printer.OnOnline(new PresencePacket("bob", fresh.ToUnixTimeMilliseconds()), online: true);
        printer.OnBack(new PresencePacket("carol", 0));

        output.Lines[0].Should().Be($"[{fresh:HH:mm}] * bob is online", "a login 2 s ago is not 'earlier', and its line is not dated by a wrong clock");
        output.Lines[1].Should().Be($"[{DateTimeOffset.UtcNow:HH:mm}] * carol is back");
    }

    [Test]
    public void Someone_online_for_half_an_hour_is_still_online_since_then()
    {
        var (printer, output) = Printer(TimeSpan.FromHours(-3));
        var loggedIn = DateTimeOffset.UtcNow.AddMinutes(-30);

        printer.OnOnline(new PresencePacket("bob", loggedIn.ToUnixTimeMilliseconds()), online: true);

        output.Lines[0].Should().Be($"[{DateTimeOffset.UtcNow:HH:mm}] * bob is online (since {loggedIn:HH:mm})");
    }
}
