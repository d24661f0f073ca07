using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>WHO masks: '*' and '?' wildcards, case-insensitive, no backtracking blow-up.</summary>
[TestFixture]
public sealed class IrcMaskTests
{
    [TestCase("*", "alice", true)]
    [TestCase("a*", "Alice", true)]
    [TestCase("*ce", "alice", true)]
    [TestCase("a?ice", "alice", true)]
    [TestCase("a?ice", "alliice", false)]
    [TestCase("b*", "alice", false)]
    [TestCase("*l*c*", "alice", true)]
    [TestCase("alice", "alic", false)]
    public void Matches_like_irc_masks(string mask, string nick, bool expected)
    {
        IrcMask.Matches(mask, nick).Should().Be(expected);
    }

    [Test]
    public void A_hostile_mask_stays_fast()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        IrcMask.Matches(string.Concat(Enumerable.Repeat("*a", 200)) + "b", new string('a', 500)).Should().BeFalse();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }
}
