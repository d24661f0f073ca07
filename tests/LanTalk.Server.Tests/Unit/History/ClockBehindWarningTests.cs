namespace LanTalk.Server.Tests.Unit.History;

/// <summary>A clock stepped back under the running server is told once, as at start: messages then all take one time.</summary>
[TestFixture]
public sealed class ClockBehindWarningTests
{
    [Test]
    public async Task A_clock_stepped_back_while_running_is_told_once_and_again_only_after_it_has_caught_up()
    {
        await using var h = new HistoryFixture();
        using var log = new UsersLogRecorder(h.DatabasePath, "LanTalk.Server.History");
        var first = await h.Store.AppendRoomAsync("lobby", "alice", "before the step");

        h.Clock.Now -= TimeSpan.FromHours(3);
        var second = await h.Store.AppendRoomAsync("lobby", "alice", "after the step");
        await h.Store.AppendRoomAsync("lobby", "alice", "and another");

        second.TimeMs.Should().Be(first.TimeMs, "message times never go back (PROTOCOL.md, Durability)");
        log.Lines.Where(l => l.StartsWith("WARN ") && l.Contains("clock went back") && l.Contains("3 hours behind")).Should().ContainSingle();

        h.Clock.Now += TimeSpan.FromHours(4);
        await h.Store.AppendRoomAsync("lobby", "alice", "the clock has passed it");
        h.Clock.Now -= TimeSpan.FromHours(3);
        await h.Store.AppendRoomAsync("lobby", "alice", "stepped back again");
        log.Lines.Count(l => l.Contains("clock went back")).Should().Be(2, "a new step back is a new episode");
    }
}
