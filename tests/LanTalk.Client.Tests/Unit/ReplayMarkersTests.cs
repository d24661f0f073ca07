using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

public sealed class ReplayMarkersTests
{
    [Test]
    public void The_first_replayed_message_opens_a_marker_and_the_end_closes_it()
    {
        var markers = new ReplayMarkers();
        markers.Replayed("dev").Should().Be(ReplayMarkers.Earlier);
        markers.Replayed("dev").Should().BeNull();
        markers.Ended("dev").Should().BeTrue();
        markers.Ended("dev").Should().BeFalse("nothing is open any more");
    }

    [Test]
    public void A_catch_up_join_is_labelled_missed_while_away()
    {
        var markers = new ReplayMarkers();
        markers.Expect("dev", catchUp: true);
        markers.Replayed("DEV").Should().Be(ReplayMarkers.MissedWhileAway);
    }

    [Test]
    public void An_empty_replay_opens_nothing_and_forgets_the_expectation()
    {
        var markers = new ReplayMarkers();
        markers.Expect("dev", catchUp: true);
        markers.Ended("dev").Should().BeFalse();
        markers.Replayed("dev").Should().Be(ReplayMarkers.Earlier, "the next replay is a new one");
    }

    [Test]
    public async Task A_wait_for_a_rooms_replay_ends_once_the_lines_after_its_end_are_printed_or_the_join_failed()
    {
        var markers = new ReplayMarkers();
        markers.WhenShownAsync("dev").IsCompleted.Should().BeTrue("nothing is replaying in #dev");

        markers.Expect("dev", catchUp: false);
        var shown = markers.WhenShownAsync("DEV");
        markers.Replayed("dev");
        markers.Ended("dev");
        shown.IsCompleted.Should().BeFalse("'— now —' and the held live messages are still to be printed");
        markers.Shown("dev");
        await shown.WaitAsync(TimeSpan.FromSeconds(5));

        markers.Expect("ops", catchUp: true);
        var failed = markers.WhenShownAsync("ops");
        failed.IsCompleted.Should().BeFalse("a catch-up is awaited");
        markers.Cancel("ops");
        await failed.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
