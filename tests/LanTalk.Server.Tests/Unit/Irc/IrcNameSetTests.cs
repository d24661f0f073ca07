using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>
/// What an IRC session keeps of who is online and who is in a channel: a set of user names with the hash set's
/// behaviour (case-insensitive, the first spelling kept), held as bits of a name index the server's sessions share.
/// </summary>
[TestFixture]
public sealed class IrcNameSetTests
{
    [Test]
    public void Names_are_one_member_whatever_their_case_and_keep_the_spelling_first_seen()
    {
        var set = new IrcNameSet(new IrcNameIndex());

        set.Add("Alice").Should().BeTrue();
        set.Add("ALICE").Should().BeFalse("user names are compared case-insensitively");
        set.Contains("alice").Should().BeTrue();
        set.TryGetValue("aLiCe", out string stored).Should().BeTrue();
        stored.Should().Be("Alice");
        set.Count.Should().Be(1);
    }

    [Test]
    public void Removing_adding_and_counting_follow_set_rules()
    {
        var set = new IrcNameSet(new IrcNameIndex());
        set.UnionWith(["a", "b", "c", "b"]);

        set.Count.Should().Be(3);
        set.Remove("B").Should().BeTrue();
        set.Remove("b").Should().BeFalse("it is gone already");
        set.Remove("never-seen").Should().BeFalse();
        set.Contains("never-seen").Should().BeFalse();
        set.TryGetValue("never-seen", out string asked).Should().BeFalse();
        asked.Should().Be("never-seen");
        set.ToArray().Should().BeEquivalentTo(["a", "c"]);
        set.Count.Should().Be(2);

        set.Clear();
        set.Count.Should().Be(0);
        set.Contains("a").Should().BeFalse();
        set.ToArray().Should().BeEmpty();
    }

    [Test]
    public void Sets_sharing_an_index_are_independent_and_a_lookup_adds_no_name()
    {
        var index = new IrcNameIndex();
        var online = new IrcNameSet(index);
        var members = new IrcNameSet(index);
        online.Add("bob");

        members.Contains("bob").Should().BeFalse("another session's set holds it, not this one");
        members.Contains("zed").Should().BeFalse();
        index.TryGetId("zed", out _).Should().BeFalse("looking a name up does not number it");
        index.TryGetId("BOB", out int bob).Should().BeTrue();
        index.NameOf(bob).Should().Be("bob");
    }

    [Test]
    public void Thousands_of_names_past_the_first_array_are_all_kept_and_listed()
    {
        var index = new IrcNameIndex();
        var set = new IrcNameSet(index);
        var other = new IrcNameSet(index);
        var names = Enumerable.Range(0, 5_000).Select(i => $"user{i}").ToArray();
        foreach (string name in names)
        {
            other.Add(name);
        }

        // Every other name: the set's bits grow to the highest number it holds, and skip the others.
        foreach (string name in names.Where((_, i) => i % 2 == 1))
        {
            set.Add(name);
        }

        set.Count.Should().Be(2_500);
        set.ToArray().Should().Equal(names.Where((_, i) => i % 2 == 1), "listed in the order the index numbered them");
        set.Contains("user4999").Should().BeTrue();
        set.Contains("user4998").Should().BeFalse();
        other.Count.Should().Be(5_000);
    }

    [Test]
    public void Names_numbered_from_many_threads_at_once_get_one_number_each_and_read_back()
    {
        var index = new IrcNameIndex();
        var names = Enumerable.Range(0, 20_000).Select(i => $"n{i}").ToArray();
        var ids = new int[names.Length];

        Parallel.For(0, names.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => ids[i] = index.IdOf(names[i]));
        Parallel.For(0, names.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => ids[i].Should().Be(index.IdOf(names[i].ToUpperInvariant())));

        ids.Distinct().Should().HaveCount(names.Length);
        ids.Max().Should().Be(names.Length - 1, "numbers are dense");
        for (int i = 0; i < names.Length; i++)
        {
            index.NameOf(ids[i]).Should().Be(names[i]);
        }
    }
}
