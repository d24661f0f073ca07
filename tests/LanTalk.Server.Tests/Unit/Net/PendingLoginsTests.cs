using System.Net;
using LanTalk.Server.Net;

namespace LanTalk.Server.Tests.Unit.Net;

/// <summary>
/// The pre-login budget: per-address and global limits, and a full budget giving a place to an address that holds
/// fewer than the biggest holder, by evicting that holder's oldest connection.
/// </summary>
[TestFixture]
public sealed class PendingLoginsTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress User = IPAddress.Parse("192.0.2.3");

    private PendingLogins _budget = null!;

    [SetUp]
    public void SetUp() => _budget = new PendingLogins();

    private PendingSlot Take(IPAddress from, int perAddress = 4, int limit = 8)
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
    public void A_budget_spread_one_place_per_address_is_refused_to_everyone_else()
    {
        for (int i = 0; i < 8; i++)
        {
            Take(IPAddress.Parse($"198.51.100.{i + 1}"));
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
}
