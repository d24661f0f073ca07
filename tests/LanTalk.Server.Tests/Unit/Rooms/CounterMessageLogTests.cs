using LanTalk.Server.History;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>The message log used when history is off: increasing ids, synchronous, and no offline queue.</summary>
public sealed class CounterMessageLogTests
{
    [Test]
    public async Task Ids_increase_across_rooms_and_private_messages_and_complete_at_once()
    {
        var log = new CounterMessageLog(lastId: 41);

        var first = log.AppendRoomAsync("lobby", "alice", "hi");
        var second = log.AppendPrivateAsync("alice", "bob", "psst");

        first.IsCompletedSuccessfully.Should().BeTrue("the hot path must not wait when nothing is stored");
        (await first).Should().Match<AppendResult>(r => r.Id == 42 && r.IsStored);
        (await second).Id.Should().Be(43);
        log.LastId.Should().Be(43);
    }

    [Test]
    public async Task It_cannot_keep_a_message_for_an_offline_user()
    {
        var result = await new CounterMessageLog().AppendPrivateAsync("alice", "bob", "later", queueForDelivery: true);

        result.IsStored.Should().BeFalse();
        result.Status.Should().Be(AppendStatus.StorageUnavailable);
    }

    [Test]
    public void The_message_store_is_a_message_log() =>
        typeof(IMessageLog).IsAssignableFrom(typeof(MessageStore)).Should().BeTrue();
}
