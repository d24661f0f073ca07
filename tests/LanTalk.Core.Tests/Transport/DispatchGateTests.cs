using LanTalk.Core.Packets;
using LanTalk.Core.Transport;
using LanTalk.Core.Protocol;
using LanTalk.Core.Tests.Support;

namespace LanTalk.Core.Tests.Transport;

/// <summary>The read loop's gate: a frame held at it is handled once it opens, and the frames after it wait behind it.</summary>
public sealed class DispatchGateTests
{
    private static byte[] Message(uint tag) => FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(tag, "m" + tag));

    [Test]
    public async Task A_held_frame_and_the_frames_after_it_are_handled_in_order_once_the_gate_opens()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool held = false;
        int handledWhileHeld = 0;
        await using var test = new ConnectionUnderTest
        {
            // On the read loop, like the gate: any frame handled between the hold and the opening is a fault.
            OnFrame = _ =>
            {
                if (held && !gate.Task.IsCompleted)
                {
                    handledWhileHeld++;
                }
            },
        };
        int asked = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        test.Connection.Gate = command =>
        {
            if (command != ChatCommand.Logout || Interlocked.Increment(ref asked) > 1)
            {
                return null;
            }

            held = true;
            reached.SetResult();
            return GateWait.AtMostMaxWait(gate.Task);
        };
        test.Start();

        // One write: the message, the held command, and two messages behind it.
        await test.Peer.SendAsync((byte[])[.. Message(1), .. FrameCodec.Serialize(ChatCommand.Logout, string.Empty, EmptyPacket.Instance), .. Message(2), .. Message(3)]);

        (await test.NextFrameAsync()).Packet.Should().Be(new SendTextPacket(1, "m1"));
        await reached.Task.WaitAsync(PeerEnd.Timeout);

        // Had the frames behind it been handled while the gate was closed, they would come before the Logout.
        gate.SetResult();
        (await test.NextFrameAsync()).Command.Should().Be(ChatCommand.Logout);
        (await test.NextFrameAsync()).Packet.Should().Be(new SendTextPacket(2, "m2"));
        (await test.NextFrameAsync()).Packet.Should().Be(new SendTextPacket(3, "m3"));
        asked.Should().Be(1, "a frame that passed the gate is not asked again");
        handledWhileHeld.Should().Be(0, "nothing is handled while the gate is closed");
    }
}
