using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>A topic keeps one line of text and IRC's formatting codes; other controls are replaced before it is stored.</summary>
public sealed class TopicTextTests
{
    [TestCase("ship it", "ship it")]
    [TestCase("tabs\tstay", "tabs\tstay")]
    [TestCase("café 👨‍👩‍👧‍👦 done", "café 👨‍👩‍👧‍👦 done")]
    [TestCase("red \u001b alert", "red \uFFFD alert")]
    [TestCase("\u0001start", "\uFFFDstart")]
    [TestCase("not a char \uFFFE \uFFFF", "not a char \uFFFD \uFFFD")]
    [TestCase("two\r\nlines", "two  lines")]
    [TestCase("\u0002bold\u0002 \u000304red\u0003 \u0004FF0000hex\u000F \u0011mono\u0016rev\u001Dit\u001Estrike\u001Funder", "\u0002bold\u0002 \u000304red\u0003 \u0004FF0000hex\u000F \u0011mono\u0016rev\u001Dit\u001Estrike\u001Funder")]
    [TestCase("bell\u0007 nul\u0000", "bell\uFFFD nul\uFFFD")]
    [TestCase("del\u007F csi\u009B2J c1\u0080\u0085 nbsp\u00A0é", "del\uFFFD csi\uFFFD2J c1\uFFFD\uFFFD nbsp\u00A0é")]
    public void Clean_keeps_text_and_IRC_formatting_and_replaces_the_rest(string topic, string expected) =>
        TopicText.Clean(topic).Should().Be(expected);

    [Test]
    public void A_clean_topic_is_returned_as_it_is() =>
        TopicText.Clean("nothing to do").Should().BeSameAs("nothing to do");
}
