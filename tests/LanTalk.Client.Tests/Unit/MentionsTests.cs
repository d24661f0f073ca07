using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

public sealed class MentionsTests
{
    [TestCase("alice: lunch?", true)]
    [TestCase("hey ALICE", true)]
    [TestCase("@alice look", true)]
    [TestCase("thanks, alice.", true)]
    [TestCase("(alice)", true)]
    [TestCase("malice aforethought", false)]
    [TestCase("alice_bot is down", false)]
    [TestCase("alice-2 joined", false)]
    [TestCase("alice.smith wrote", false)]
    [TestCase("", false)]
    public void Your_name_counts_only_as_a_whole_word_in_any_case(string text, bool mentioned)
    {
        Mentions.Contains(text, "alice").Should().Be(mentioned);
    }

    [Test]
    public void Every_occurrence_is_found()
    {
        Mentions.Find("alice, Alice! ALICE", "alice").Should().Equal(0, 7, 14);
    }

    [Test]
    public void The_hotlist_counts_private_senders_in_order_and_mentions_then_clears()
    {
        var hot = new Hotlist();
        hot.Render().Should().BeEmpty();
        hot.AddPrivate("bob");
        hot.AddPrivate("carol");
        hot.AddPrivate("Bob");
        hot.AddMention();
        hot.Render().Should().Be("[bob:2 carol:1 @1]");
        hot.Clear();
        hot.Render().Should().BeEmpty();
    }
}
