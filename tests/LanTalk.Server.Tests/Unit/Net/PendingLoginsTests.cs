using System.Net;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit.Net;

/// <summary>
/// The pre-login budget: per-address and global limits, and a full budget giving a place to an address that holds
/// fewer than the biggest holder, by evicting that holder's oldest connection; spread over many addresses, by evicting
/// the connection that has waited longest once it has waited the grace, unless its login is being checked.
/// </summary>
[TestFixture]
public sealed class PendingLoginsTests
{
    private static readonly AddressGroup Flooder = Group("192.0.2.1");
    private static readonly AddressGroup Other = Group("192.0.2.2");
    private static readonly AddressGroup User = Group("192.0.2.3");

    private static readonly long GraceMs = (long)PendingLogins.EvictionGrace.TotalMilliseconds;

    private PendingLogins _budget = null!;
    private long _nowMs;

    [SetUp]
    public void SetUp()
    {
        _nowMs = 1_000_000;
        _budget = new PendingLogins(() => _nowMs);
    }

    private static AddressGroup Group(string address) => AddressGroup.Of(IPAddress.Parse(address), []);

    private PendingSlot Take(AddressGroup from, int perAddress = 4, int limit = 8)
    {
        _budget.TryReserve(from, perAddress, limit, out var slot, out var evicted).Should().Be(PendingRefusal.None);
        evicted.Should().BeNull();
        return slot!;
    }

    [Test]
    public void An_address_at_its_own_limit_is_refused_even_with_room_in_the_budget()
    {
        for (int i = 0; i < 4; i++)
        {
            Take(Flooder);
        }

        _budget.TryReserve(Flooder, 4, 8, out var slot, out _).Should().Be(PendingRefusal.PerAddress);
        slot.Should().BeNull();
        _budget.Count.Should().Be(4);
    }

    [Test]
    public void A_full_budget_gives_a_newcomer_the_oldest_place_of_the_biggest_holder()
    {
        var flooderOldest = Take(Flooder);
        for (int i = 0; i < 3; i++)
        {
            Take(Flooder);
        }

        for (int i = 0; i < 4; i++)
        {
            Take(Other);
        }

        _budget.TryReserve(User, 4, 8, out var slot, out var evicted).Should().Be(PendingRefusal.None);

        slot.Should().NotBeNull();
        evicted.Should().BeSameAs(flooderOldest, "the first biggest holder's oldest connection gives way");
        _budget.Count.Should().Be(8, "the newcomer took the evicted place, it did not add one");
        _budget.Holders(5).Should().Contain(KeyValuePair.Create(Flooder, 3)).And.Contain(KeyValuePair.Create(User, 1));
        _budget.Release(flooderOldest).Should().BeFalse("an evicted place was given back already; its close must not free another");
        _budget.Count.Should().Be(8);
    }

    [Test]
    public void A_full_budget_refuses_an_address_holding_nearly_as_many_as_the_biggest_so_two_cannot_evict_each_other()
    {
        for (int i = 0; i < 4; i++)
        {
            Take(Flooder);
        }

        for (int i = 0; i < 3; i++)
        {
            Take(Other);
        }

        Take(User);

        _budget.TryReserve(Other, 4, 8, out _, out var evicted).Should().Be(PendingRefusal.Budget, "Other holds 3, the biggest 4");
        evicted.Should().BeNull();
        _budget.TryReserve(User, 4, 8, out _, out evicted).Should().Be(PendingRefusal.None, "User holds 1, the biggest 4");
        evicted.Should().NotBeNull();
        evicted!.Address.Should().Be(Flooder);
    }

    [Test]
    public void A_budget_spread_one_place_per_address_refuses_a_newcomer_while_every_place_is_younger_than_the_grace()
    {
        for (int i = 0; i < 8; i++)
        {
            Take(Group($"198.51.100.{i + 1}"));
        }

        _budget.TryReserve(User, 4, 8, out _, out var evicted).Should().Be(PendingRefusal.Budget);
        evicted.Should().BeNull();
    }

    [Test]
    public void A_released_place_is_free_again_and_releasing_twice_frees_nothing_more()
    {
        var slot = Take(Flooder, perAddress: 1, limit: 1);

        slot.Release();
        slot.Release();

        _budget.Count.Should().Be(0);
        Take(Flooder, perAddress: 1, limit: 1);
        Take(Other, perAddress: 1, limit: 2);
        _budget.Count.Should().Be(2);
    }

    [Test]
    public void An_eviction_closes_the_connection_whether_it_comes_before_or_after_the_session_attaches()
    {
        var early = Take(Flooder);
        var late = Take(Flooder);
        int closedEarly = 0, closedLate = 0;

        early.Evict();
        early.OnEvicted(() => closedEarly++);
        late.OnEvicted(() => closedLate++);
        closedLate.Should().Be(0, "not evicted yet");
        late.Evict();

        closedEarly.Should().Be(1, "evicted during its TLS handshake: closed as soon as its session attaches");
        closedLate.Should().Be(1);
    }

    [Test]
    public void A_budget_spread_one_place_per_address_gives_a_newcomer_the_place_that_waited_longest_once_it_waited_the_grace()
    {
        var oldest = Take(Group("198.51.100.1"));
        _nowMs += 100;
        for (int i = 1; i < 8; i++)
        {
            Take(Group($"198.51.100.{i + 1}"));
        }

        _nowMs += GraceMs - 100 - 1;
        _budget.TryReserve(User, 4, 8, out _, out var evicted).Should().Be(PendingRefusal.Budget, "the oldest has waited 1 ms less than the grace");
        evicted.Should().BeNull();

        _nowMs += 1;
        _budget.TryReserve(User, 4, 8, out var slot, out evicted).Should().Be(PendingRefusal.None);

        slot.Should().NotBeNull();
        evicted.Should().BeSameAs(oldest);
        evicted!.EvictedForAge.Should().BeTrue("its error says it waited longest, not that its address held too many");
        _budget.Count.Should().Be(8);
        _budget.TryReserve(Other, 4, 8, out _, out _).Should().Be(PendingRefusal.Budget, "the others are still younger than the grace");
    }

    [Test]
    public void A_connection_whose_login_is_being_checked_is_not_taken_for_having_waited_longest()
    {
        var checking = Take(Group("198.51.100.1"));
        checking.LoginUnderway = true;
        _nowMs += 10;
        var next = Take(Group("198.51.100.2"));
        _nowMs += GraceMs;
        for (int i = 2; i < 8; i++)
        {
            Take(Group($"198.51.100.{i + 1}"));
        }

        _budget.TryReserve(User, 4, 8, out _, out var evicted).Should().Be(PendingRefusal.None);
        evicted.Should().BeSameAs(next, "the oldest is verifying its password; the next oldest has waited the grace");

        checking.LoginUnderway = false;
        _budget.TryReserve(Other, 4, 8, out _, out evicted).Should().Be(PendingRefusal.None);
        evicted.Should().BeSameAs(checking, "refused and waiting again, it is the oldest once more");
    }

    [Test]
    public void An_address_holding_more_than_its_share_gives_way_before_the_longest_waiting_connection_of_another()
    {
        var lone = Take(Group("198.51.100.1"));
        _nowMs += 10;
        var flooderOldest = Take(Flooder);
        for (int i = 0; i < 3; i++)
        {
            Take(Flooder);
        }

        for (int i = 0; i < 3; i++)
        {
            Take(Group($"198.51.100.{i + 2}"));
        }

        _nowMs += GraceMs;
        _budget.TryReserve(User, 4, 8, out _, out var evicted).Should().Be(PendingRefusal.None);

        evicted.Should().BeSameAs(flooderOldest, "the fairness rule comes first; the lone connection from 198.51.100.1 keeps its place");
        evicted!.EvictedForAge.Should().BeFalse();
        _budget.Release(lone).Should().BeTrue("it still held its place");
    }

    [Test]
    public void An_address_that_lost_a_place_for_waiting_longest_cannot_take_one_that_way_until_its_cooling_ends()
    {
        var first = Group("198.51.100.1");
        Take(first);
        _nowMs += 10;
        for (int i = 1; i < 8; i++)
        {
            Take(Group($"198.51.100.{i + 1}"));
        }

        _nowMs += GraceMs;
        _budget.TryReserve(User, 4, 8, out _, out var evicted).Should().Be(PendingRefusal.None);
        evicted!.Address.Should().Be(first);

        _budget.TryReserve(first, 4, 8, out _, out evicted).Should().Be(PendingRefusal.Budget,
            "reconnecting at once after its eviction would take the next oldest place: the churn that kept every place young");
        evicted.Should().BeNull();
        _budget.TryReserve(Other, 4, 8, out _, out evicted).Should().Be(PendingRefusal.None, "another address still may");

        _nowMs += (long)PendingLogins.EvictionCooling.TotalMilliseconds;
        _budget.TryReserve(first, 4, 8, out _, out evicted).Should().Be(PendingRefusal.None, "its cooling is over");
        evicted.Should().NotBeNull();
    }
}
