using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>Rooms.xml holds a topic's IRC formatting codes as escapes, since XML 1.0 cannot hold the characters.</summary>
public sealed class TopicEscapeTests
{
    [TestCase("plain topic")]
    [TestCase(@"C:\path\to\file")]
    public void A_topic_without_controls_is_written_as_it_is(string topic)
    {
        TopicEscape.ToFile(topic, out bool escaped).Should().Be(topic);
        escaped.Should().BeFalse();
    }

    [TestCase("\u0002bold\u0002 and \u000304,01colour\u000F", @"\x02bold\x02 and \x0304,01colour\x0F")]
    [TestCase("\u0002C:\\dir\\", @"\x02C:\\dir\\")]
    [TestCase("\u001F\\x02 literal", @"\x1F\\x02 literal")]
    public void A_topic_with_controls_is_escaped_and_reads_back_the_same(string topic, string file)
    {
        TopicEscape.ToFile(topic, out bool escaped).Should().Be(file);
        escaped.Should().BeTrue();
        TopicEscape.FromFile(file, out string problem).Should().Be(topic, problem);
    }

    [TestCase(@"dangling \")]
    [TestCase(@"\q not an escape")]
    [TestCase(@"\x2 short")]
    [TestCase(@"\x41 not a control")]
    public void A_bad_escape_is_refused_with_where_it_is(string file)
    {
        TopicEscape.FromFile(file, out string problem).Should().BeNull();
        problem.Should().Contain("backslash at character").And.Contain(@"\xHH");
    }
}
