using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// FrameDeadlineSeconds: a frame must be complete that long after its first byte arrived (issue 11, item 3). Any
/// byte resets the idle timer, so before the deadline a client trickling a frame held its slot for ever.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class FrameDeadlineTests
{
    [Test]
    public async Task Client_trickling_a_frame_is_dropped_with_IdleTimeout_although_bytes_keep_arriving([Values] bool loggedIn)
    {
        // Idle and login timeouts far beyond the test, so only the frame deadline can end the session.
        await using var server = await TestServer.StartAsync(s => s with { FrameDeadlineSeconds = 1, IdleTimeoutSeconds = 60, LoginTimeoutSeconds = 60 }, "alice");
        await using var raw = loggedIn ? await server.LoginRawAsync("alice") : await server.ConnectRawAsync();
        if (!loggedIn)
        {
            (await raw.ReadFrameAsync())!.Command.Should().Be(ChatCommand.Hello);
        }

        // The roster forgets the session a moment after the socket closes: wait for that, not for the close alone.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.SessionEnded += _ => ended.TrySetResult();
        var frame = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(1, new string('x', 200)));
        using var stop = new CancellationTokenSource();
        var trickle = TrickleAsync(raw, frame, stop.Token);

        var error = await raw.ExpectErrorThenCloseAsync(ErrorCode.IdleTimeout);
        error.Text.Should().Contain("frame");
        await stop.CancelAsync();
        await trickle;
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        server.Server.OnlineCount.Should().Be(0);
    }

    [Test]
    public async Task Frames_that_each_complete_in_time_keep_the_connection_however_long_the_stream()
    {
        await using var server = await TestServer.StartAsync(s => s with { FrameDeadlineSeconds = 1, IdleTimeoutSeconds = 60 }, "alice");
        await using var raw = await server.LoginRawAsync("alice");
        // Every write finishes one ping and starts the next, so some frame is always half-received, for 3 s in all;
        // but each single frame completes within 0.3 s. The deadline is per frame, so nothing is dropped.
        // The pace is the behaviour under test (a frame held open 0.3 s, under the 1 s deadline), not a wait for an
        // event: every reply below is awaited on its own frame.
        var ping = FrameCodec.Serialize(ChatCommand.Ping, string.Empty, new PingPacket(1)).ToArray();
        int half = ping.Length / 2;
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(300));
        await raw.SendBytesAsync(ping.AsMemory(0, half));
        for (int i = 0; i < 10; i++)
        {
            await pace.WaitForNextTickAsync();
            await raw.SendBytesAsync((byte[])[.. ping.AsSpan(half), .. ping.AsSpan(0, half)]);
            var pong = await raw.ReadUntilAsync(f => f.Command is ChatCommand.Pong or ChatCommand.Error, "a Pong");
            pong.Command.Should().Be(ChatCommand.Pong, $"ping {i + 1} should be answered, got {pong}");
        }

        await raw.SendBytesAsync(ping.AsMemory(half));
        (await raw.ReadUntilAsync(f => f.Command is ChatCommand.Pong or ChatCommand.Error, "the last Pong")).Command.Should().Be(ChatCommand.Pong);
        server.Server.OnlineCount.Should().Be(1);
    }

    /// <summary>
    /// One byte every 200 ms (the hostile client's pace: the stimulus, not a wait for an event), until the server
    /// closes or the test stops it.
    /// </summary>
    private static async Task TrickleAsync(RawClient raw, ReadOnlyMemory<byte> frame, CancellationToken stop)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            for (int i = 0; i < frame.Length && !stop.IsCancellationRequested; i++)
            {
                await raw.SendBytesAsync(frame.Slice(i, 1));
                await pace.WaitForNextTickAsync(stop);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server closed the connection, which is what the test waits for.
        }
    }
}
