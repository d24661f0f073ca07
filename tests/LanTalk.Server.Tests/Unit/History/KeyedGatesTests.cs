using LanTalk.Server.History;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>The per-user delivery gates: one holder at a time per key, and nothing kept for a key no one uses.</summary>
[TestFixture]
public sealed class KeyedGatesTests
{
    [Test]
    public async Task A_gate_no_one_holds_or_waits_for_is_forgotten_so_names_seen_once_cost_nothing_later()
    {
        var gates = new KeyedGates();

        for (int i = 0; i < 1000; i++)
        {
            string name = $"guest-{i}";
            await gates.EnterAsync(name);
            gates.Exit(name);
        }

        gates.Count.Should().Be(0, "1,000 names each logged in once and left");
    }

    [Test]
    public async Task A_second_entrant_waits_for_the_first_and_the_gate_is_kept_until_both_left()
    {
        var gates = new KeyedGates();
        await gates.EnterAsync("alice");

        var second = gates.EnterAsync("alice");
        var other = gates.EnterAsync("bob");

        await other.WaitAsync(TimeSpan.FromSeconds(10));
        second.IsCompleted.Should().BeFalse("alice's gate is held");
        gates.Exit("alice");
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        gates.Count.Should().Be(2, "alice's second entrant holds hers, bob his");
        gates.Exit("alice");
        gates.Exit("bob");
        gates.Count.Should().Be(0);
    }
}
