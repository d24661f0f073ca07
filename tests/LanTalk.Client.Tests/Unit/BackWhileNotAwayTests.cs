using LanTalk.Client.Chat;
using LanTalk.Client.Settings;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

/// <summary>
/// /back while not away: the server changes nothing and answers only this session with an empty text and TimeMs 0
/// (docs/PROTOCOL.md, SetAway). It showed as "* you are back", an event that never happened (a UX audit in tmux,
/// 2026-12-07).
/// </summary>
public sealed class BackWhileNotAwayTests
{
    private static (ChatPrinter Printer, RecordedLines Output) Printer()
    {
        var output = new RecordedLines();
        var formatter = new MessageFormatter(new DisplayOptions(), color: false, TimeZoneInfo.Utc, singleLine: true);
        return (new ChatPrinter(output, formatter, null, () => "alice"), output);
    }

    [Test]
    public void Back_while_not_away_says_you_were_not_away()
    {
        var (printer, output) = Printer();

        printer.OnAway(new AwayPacket("alice", string.Empty, 0), reply: false);

        output.All.Should().Equal("status: -- you were not away; /away TEXT sets it");
    }

    [Test]
    public void Back_after_being_away_is_still_an_event_of_its_own()
    {
        var (printer, output) = Printer();

        printer.OnAway(new AwayPacket("alice", "lunch", 1_700_000_000_000), reply: false);
        printer.OnAway(new AwayPacket("alice", string.Empty, 1_700_000_060_000), reply: false);

        output.All.Should().HaveCount(2);
        output.All[1].Should().EndWith("* you are back");
    }
}
