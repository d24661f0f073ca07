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
}
