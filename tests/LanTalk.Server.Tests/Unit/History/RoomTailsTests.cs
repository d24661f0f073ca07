using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>The in-memory tails of the rooms: a deleted room's goes, so rooms made and deleted for months leave nothing.</summary>
[TestFixture]
public sealed class RoomTailsTests
{
    private static readonly Func<int, (IReadOnlyList<StoredMessage>, long)> s_emptyFile = _ => ([], 0);

    [Test]
    public void A_deleted_rooms_tail_is_dropped_and_the_name_used_again_starts_empty()
    {
        var tails = new RoomTails(50);
        for (int i = 0; i < 1000; i++)
        {
            string room = $"standup-{i}";
            tails.Add(new StoredMessage(i + 1, room, "alice", null, "hi", MessageKind.Normal, 0));
            tails.Reset(room);
        }

        tails.Count.Should().Be(0, "every one of the 1,000 rooms was deleted");
        var page = tails.Latest("standup-7", 50, long.MaxValue, s_emptyFile);
        page!.Messages.Should().BeEmpty("the file has nothing for a room of that name any more");
    }
}
