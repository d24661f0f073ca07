using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>Frames held during a replay or login flush count against the outbound queue's bounds.</summary>
public sealed class HeldFramesTests
{
    [Test]
    public void A_frame_past_the_frame_bound_is_refused_and_not_added()
    {
        var held = new HeldFrames(maxFrames: 2, maxBytes: 1000);
        var list = new List<byte[]>();

        held.TryAdd(list, new byte[10]).Should().BeTrue();
        held.TryAdd(list, new byte[10]).Should().BeTrue();
        held.TryAdd(list, new byte[10]).Should().BeFalse("a third frame passes MaxQueuedFrames = 2");

        list.Should().HaveCount(2);
        held.Frames.Should().Be(2);
    }

    [Test]
    public void A_frame_past_the_byte_bound_is_refused()
    {
        var held = new HeldFrames(maxFrames: 100, maxBytes: 25);
        var list = new List<byte[]>();

        held.TryAdd(list, new byte[20]).Should().BeTrue();
        held.TryAdd(list, new byte[6]).Should().BeFalse("20 + 6 bytes pass MaxQueuedBytes = 25");
        held.TryAdd(list, new byte[5]).Should().BeTrue("20 + 5 bytes are exactly the bound");
        held.Bytes.Should().Be(25);
    }

    [Test]
    public void Released_frames_make_room_again()
    {
        var held = new HeldFrames(maxFrames: 2, maxBytes: 1000);
        var first = new List<byte[]>();
        var second = new List<byte[]>();
        held.TryAdd(first, new byte[10]);
        held.TryAdd(first, new byte[10]);

        held.Released(first);

        held.Frames.Should().Be(0);
        held.Bytes.Should().Be(0);
        held.TryAdd(second, new byte[10]).Should().BeTrue();
    }
}
