using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>A topic keeps what XML 1.0 can hold on one line; the rest is replaced before it is stored.</summary>
public sealed class TopicTextTests
{
    [TestCase("ship it", "ship it")]
    [TestCase("tabs\tstay", "tabs\tstay")]
    [TestCase("café 👨‍👩‍👧‍👦 done", "café 👨‍👩‍👧‍👦 done")]
    [TestCase("red \u001b alert", "red \uFFFD alert")]
    [TestCase("\u0001start", "\uFFFDstart")]
    [TestCase("not a char \uFFFE \uFFFF", "not a char \uFFFD \uFFFD")]
    [TestCase("two\r\nlines", "two  lines")]
    public void Clean_keeps_what_XML_can_hold_and_replaces_the_rest(string topic, string expected) =>
        TopicText.Clean(topic).Should().Be(expected);

    [Test]
    public void A_clean_topic_is_returned_as_it_is() =>
        TopicText.Clean("nothing to do").Should().BeSameAs("nothing to do");
}
