using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

public sealed class RoomBookTests
{
    [Test]
    public void The_first_room_joined_becomes_current_and_later_joins_keep_it_unless_asked()
    {
        var book = new RoomBook();
        book.Current.Should().BeNull();
        book.Joined("lobby");
        book.Joined("dev");
        book.Current.Should().Be("lobby");
        book.Joined("ops", makeCurrent: true);
        book.Current.Should().Be("ops");
        book.Rooms.Should().Equal("lobby", "dev", "ops");
    }

    [Test]
    public void Go_finds_a_joined_room_by_any_case_with_or_without_hash_and_refuses_others()
    {
        var book = new RoomBook();
        book.Joined("lobby");
        book.Joined("Dev");
        book.Go("#dev").Should().BeTrue();
        book.Current.Should().Be("Dev");
        book.Go("nowhere").Should().BeFalse();
        book.Current.Should().Be("Dev");
    }

    [Test]
    public void Numbers_pick_rooms_in_join_order_as_alt_digits_do()
    {
        var book = new RoomBook();
        book.Joined("lobby");
        book.Joined("dev");
        book.Go(2).Should().Be("dev");
        book.Current.Should().Be("dev");
        book.Go(3).Should().BeNull();
        book.Go(0).Should().BeNull();
        book.Current.Should().Be("dev");
    }

    [Test]
    public void Leaving_the_current_room_moves_to_the_one_before_it()
    {
        var book = new RoomBook();
        book.Joined("lobby");
        book.Joined("dev");
        book.Joined("ops");
        book.Go("ops");
        book.Left("OPS");
        book.Current.Should().Be("dev");
        book.Left("lobby");
        book.Current.Should().Be("dev");
        book.Left("dev");
        book.Current.Should().BeNull();
        book.Rooms.Should().BeEmpty();
    }

    [Test]
    public void Changes_are_announced_so_the_prompt_can_repaint()
    {
        var book = new RoomBook();
        int changes = 0;
        book.Changed += () => changes++;
        book.Joined("lobby");
        book.Go("lobby");
        book.Left("lobby");
        changes.Should().Be(3);
    }

    [Test]
    public void Newest_and_oldest_ids_per_room_give_catch_up_and_paging_bounds()
    {
        var book = new RoomBook();
        book.CatchUpFrom("dev").Should().BeNull("a room never seen is a fresh join");
        book.Saw("dev", 40);
        book.Saw("DEV", 12);
        book.Saw("dev", 57);
        book.Saw("dev", 0);
        book.Saw("lobby", 3);
        book.CatchUpFrom("dev").Should().Be(57);
        book.Oldest("dev").Should().Be(12);
        book.CatchUpFrom("lobby").Should().Be(3);
    }

    [Test]
    public void A_room_seen_empty_catches_up_from_0_until_a_message_is_seen_there()
    {
        var book = new RoomBook();
        book.SawEmpty("dev");
        book.CatchUpFrom("DEV").Should().Be(0, "everything the room holds later was missed");
        book.Saw("dev", 40);
        book.CatchUpFrom("dev").Should().Be(40);
        book.SawEmpty("dev");
        book.CatchUpFrom("dev").Should().Be(40, "an empty replay after a message seen changes nothing: it was a catch-up with nothing missed");
    }

    [Test]
    public void Known_rooms_are_the_joined_ones_and_those_last_listed()
    {
        var book = new RoomBook();
        book.Joined("lobby");
        book.Heard(["LOBBY", "dev", "random"]);
        book.Known.Should().Equal("lobby", "dev", "random");
    }
}
