using System.Net.Sockets;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>Capacity and robustness: a full server, connection storms, slow consumers, slot accounting and shutdown.</summary>
internal static class LimitChecks
{
    public static IEnumerable<Check> All =>
    [
        new("server-full", "with MaxClients online, one more gets ServerFull and the others keep chatting", ServerFullAsync, NeedsSpawnedServer: true),
        new("connect-storm", "300 connections opened and dropped in bursts (FIN, RST, half a Hello) leave the server healthy", StormAsync, Hostile: true),
        new("slow-consumer", "a logged-in client that stops reading is cut off (others see it leave) while a flood goes on", SlowConsumerAsync, Hostile: true, NeedsSpawnedServer: true),
        new("slots-not-leaked", "after everything above, MaxClients clients can still log in at once (no slot leaked)", SlotsAsync, NeedsSpawnedServer: true),
        new("shutdown-notice", "on SIGTERM a connected client gets ServerDisconnected(ShuttingDown) and the server exits (runs last)", ShutdownAsync, NeedsSpawnedServer: true),
    ];

    /// <summary>Logs in MaxClients clients, retrying briefly while the server finishes closing earlier sessions.</summary>
    private static async Task<List<ChatClient>> FillAsync(CheckContext c)
    {
        var clients = new List<ChatClient>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (clients.Count < c.Settings.MaxClients)
        {
            try
            {
                clients.Add(await c.ClientAsync());
            }
            catch (ChatClientException ex) when (ex.Failure == ChatFailure.ServerFull && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (ChatClientException ex)
            {
                foreach (var client in clients)
                {
                    await CloseAsync(client);
                }

                throw new CheckFailedException($"only {clients.Count} of MaxClients = {c.Settings.MaxClients} could log in: {ex.Failure} {ex.Message}");
            }
        }

        return clients;
    }

    private static async Task ServerFullAsync(CheckContext c)
    {
        var clients = await FillAsync(c);
        try
        {
            await using var extra = new ChatClient(c.ClientOptions);
            try
            {
                await extra.ConnectAsync(c.Target.Host, c.Target.Port);
                await extra.LoginAsync(c.NextUser(), c.Password);
                throw new CheckFailedException($"client {c.Settings.MaxClients + 1} logged in although MaxClients is {c.Settings.MaxClients}");
            }
            catch (ChatClientException ex)
            {
                Expect(ex.Failure == ChatFailure.ServerFull && ex.Code == ErrorCode.ServerFull, $"the extra client got {ex.Failure}/{ex.Code} ({ex.Message}), not ServerFull");
            }

            var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int receivers = 0;
            foreach (var client in clients.Skip(1))
            {
                client.MessageReceived += (_, m) =>
                {
                    if (m.Text == "still here" && Interlocked.Increment(ref receivers) == clients.Count - 1)
                    {
                        got.TrySetResult();
                    }
                };
            }

            await clients[0].SendPublicAsync("still here");
            try
            {
                await got.Task.WaitAsync(c.ReplyTimeout);
            }
            catch (TimeoutException)
            {
                throw new CheckFailedException($"after the refusal only {receivers} of {clients.Count - 1} online clients got a public message");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await CloseAsync(client);
            }
        }
    }

    private static async Task StormAsync(CheckContext c)
    {
        var hello = FrameCodec.Serialize(ChatCommand.Hello, string.Empty, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "storm"));
        for (int round = 0; round < 10; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
            {
                try
                {
                    var (socket, stream) = await c.Target.OpenAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
                    switch (i % 3)
                    {
                        case 0:
                            break;
                        case 1:
                            await stream.WriteAsync(hello.AsMemory(0, hello.Length / 2));
                            break;
                        default:
                            await stream.WriteAsync(hello);
                            // Abortive close: RST instead of FIN.
                            socket.LingerState = new LingerOption(true, 0);
                            break;
                    }

                    await stream.DisposeAsync();
                    socket.Dispose();
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
                {
                    // The server may refuse some of a storm (TooManyConnections); only its health afterwards matters.
                }
            }));
        }
    }

    private static async Task SlowConsumerAsync(CheckContext c)
    {
        var (stalled, stalledUser) = await c.RawLoggedInAsync(receiveBuffer: 4096);
        await using (stalled)
        {
            var flooder = await c.ClientAsync();
            try
            {
                var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                flooder.UserLeft += (_, p) => { if (string.Equals(p.UserName, stalledUser, StringComparison.OrdinalIgnoreCase)) { left.TrySetResult(); } };
                var started = DateTime.UtcNow;
                var text = new string('s', Math.Min(4000, c.Settings.MaxMessageBytes));
                // Paced, so the flooder's own queue never overflows; bounded in count and time.
                for (int sent = 0; sent < 4000 && !left.Task.IsCompleted && DateTime.UtcNow - started < TimeSpan.FromSeconds(20); sent += 100)
                {
                    for (int i = 0; i < 100; i++)
                    {
                        flooder.PostMessage(null, text);
                    }

                    await Task.Delay(25);
                }

                try
                {
                    await left.Task.WaitAsync(TimeSpan.FromSeconds(15));
                }
                catch (TimeoutException)
                {
                    throw new CheckFailedException($"the stalled client {stalledUser} was not cut off within {(DateTime.UtcNow - started).TotalSeconds:0} s of a flood");
                }

                Expect(flooder.IsConnected, $"the flooding client was disconnected too: {flooder.Completion.Status}");
            }
            finally
            {
                await CloseAsync(flooder);
            }
        }
    }

    private static async Task SlotsAsync(CheckContext c)
    {
        foreach (var client in await FillAsync(c))
        {
            await CloseAsync(client);
        }
    }

    private static async Task ShutdownAsync(CheckContext c)
    {
        var server = c.Spawned ?? throw new CheckSkippedException("needs a server the harness spawned");
        var (peer, _) = await c.RawLoggedInAsync();
        await using (peer)
        {
            var stopping = server.StopAsync(TimeSpan.FromSeconds(10));
            var (closed, error) = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
            bool graceful = await stopping;
            Expect(error?.Code == ErrorCode.ShuttingDown, $"expected ServerDisconnected ShuttingDown before the close, got {(error is null ? "no Error frame" : error.ToString())}");
            Expect(closed, "the connection stayed open after the shutdown notice");
            Expect(graceful, "the server did not exit within 10 s of SIGTERM (it was killed)");
            Expect(server.ExitCode == 0, $"the server exited with code {server.ExitCode} after SIGTERM");
        }
    }
}
