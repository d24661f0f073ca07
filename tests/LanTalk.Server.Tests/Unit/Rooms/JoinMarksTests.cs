using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>A session's join marks: which live room messages it takes, also after a mark changed since the last lookup.</summary>
public sealed class JoinMarksTests
{
    private readonly Room _lobby = new("lobby", isDefault: true);
    private readonly Room _dev = new("dev", isDefault: false);

    [Test]
    public void A_room_admits_only_messages_above_its_mark_and_an_unknown_room_none()
    {
        var marks = new JoinMarks();
        marks.Set(_lobby, 5);

        marks.Admits(_lobby, 5).Should().BeFalse("the replay holds messages up to the mark");
        marks.Admits(_lobby, 6).Should().BeTrue();
        marks.Admits(_dev, 6).Should().BeFalse("the session is not in that room");
    }

    [Test]
    public void A_new_mark_is_seen_by_the_next_delivery_although_the_room_was_just_looked_up()
    {
        var marks = new JoinMarks();
        marks.Set(_lobby, 5);
        marks.Admits(_lobby, 6).Should().BeTrue();

        // Left and joined again: the new replay holds up to 10.
        marks.Set(_lobby, 10);

        marks.Admits(_lobby, 7).Should().BeFalse("a stale fan-out must not repeat what the new replay showed");
        marks.Admits(_lobby, 11).Should().BeTrue();
    }

    [Test]
    public void A_removed_room_admits_nothing_although_it_was_just_looked_up()
    {
        var marks = new JoinMarks();
        marks.Set(_lobby, 5);
        marks.Admits(_lobby, 6).Should().BeTrue();

        marks.Remove(_lobby);

        marks.Admits(_lobby, 7).Should().BeFalse("nothing may follow the RoomLeft");
    }

    [Test]
    public void Deliveries_alternating_between_two_rooms_are_each_judged_by_their_own_mark()
    {
        var marks = new JoinMarks();
        marks.Set(_lobby, 5);
        marks.Set(_dev, 20);

        marks.Admits(_lobby, 6).Should().BeTrue();
        marks.Admits(_dev, 6).Should().BeFalse();
        marks.Admits(_lobby, 7).Should().BeTrue();
        marks.Admits(_dev, 21).Should().BeTrue();
    }
}
