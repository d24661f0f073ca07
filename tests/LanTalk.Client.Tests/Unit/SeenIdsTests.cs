using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

public sealed class SeenIdsTests
{
    [Test]
    public void An_id_is_new_once()
    {
        var seen = new SeenIds();
        seen.Add(7).Should().BeTrue();
        seen.Add(7).Should().BeFalse();
        seen.Add(8).Should().BeTrue();
    }

    [Test]
    public void Id_zero_means_no_server_id_and_is_never_a_duplicate()
    {
        var seen = new SeenIds();
        seen.Add(0).Should().BeTrue();
        seen.Add(0).Should().BeTrue();
    }

    [Test]
    public void The_oldest_ids_are_forgotten_beyond_the_capacity()
    {
        var seen = new SeenIds(capacity: 3);
        foreach (ulong id in new ulong[] { 1, 2, 3, 4 })
        {
            seen.Add(id).Should().BeTrue();
        }

        seen.Add(1).Should().BeTrue("1 was the oldest of four in a set of three");
        seen.Add(4).Should().BeFalse();
    }
}
