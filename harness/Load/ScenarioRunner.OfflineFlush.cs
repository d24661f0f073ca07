using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

internal sealed partial class ScenarioRunner
{
    /// <summary>
    /// offline-flush: one user sends --messages (10,000) private messages to a user with no session, each
    /// acknowledged as stored; the recipient logs in and must get all of them, in order, flagged Offline, within
    /// 1 s of its login; the sender, still online, gets a Receipt for each.
    /// </summary>
    private async Task<List<LoadResult>> OfflineFlushAsync(CancellationToken cancellationToken)
    {
        int count = options.Messages ?? 10_000;
        int window = options.Window ?? 200;
        var settings = Settings(2, 64);
        settings["OfflineMessagesPerUser"] = ServerSetup.Num(Math.Max(count, 10_000));
        // One sender fills the queue here, so its share (OfflineMessagesPerSender) must be the whole queue.
        settings["OfflineMessagesPerSender"] = ServerSetup.Num(Math.Max(count, 10_000));
        return await WithServerAsync(2, settings, productionUser: false, async runner =>
        {
            var result = new LoadResult { Name = _name, Clients = 2, Senders = 1 };
            var target = runner.Target;
            string recipient = target.Users[1];
            await using var sender = await LoginV3Async(target, target.Users[0]).ConfigureAwait(false);

            // Store: a window of unconfirmed sends; each echo must say Stored.
            var stored = new List<ulong>(count);
            long t0 = Clock.Now;
            int next = 0;
            while (stored.Count < count)
            {
                while (next < count && next - stored.Count < window)
                {
                    await sender.SendAsync(ChatCommand.PrivateMessage, new SendTextPacket((uint)next + 1, $"offline {next}"), recipient).ConfigureAwait(false);
                    next++;
                }

                var reply = await sender.ReadUntilAsync(r => r.Packet is ChatMessagePacket { Tag: > 0 } || r.Packet is ErrorPacket, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                switch (reply.Packet)
                {
                    case ChatMessagePacket echo when echo.Flags.HasFlag(MessageMarks.Stored):
                        stored.Add(echo.MessageId);
                        break;
                    default:
                        throw new HarnessException($"offline-flush: message {stored.Count} to the offline '{recipient}' was not stored: {reply}");
                }
            }

            result.Sent = count;
            result.Extra.Add(("stored", $"{count:N0} private messages acknowledged as stored in {Clock.ToSeconds(Clock.Now - t0):0.00} s"));

            // Deliver: login to the last Offline message.
            long loginAt = Clock.Now;
            await using var reader = await LoginV3Async(target, recipient).ConfigureAwait(false);
            var delivered = new List<ulong>(count);
            while (delivered.Count < count)
            {
                var reply = await reader.ReadUntilAsync(r => r.Packet is ChatMessagePacket, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                if (reply.Packet is not ChatMessagePacket message)
                {
                    throw new HarnessException($"offline-flush: {delivered.Count} of {count} stored messages delivered, then {reply}");
                }

                if (message.Flags.HasFlag(MessageMarks.Offline))
                {
                    delivered.Add(message.MessageId);
                }
            }

            double flush = Clock.ToSeconds(Clock.Now - loginAt);
            result.Received = delivered.Count;
            result.DeliverySeconds = flush;
            result.Extra.Add(("flush", $"{count:N0} stored messages delivered {flush * 1000:0} ms after the login started (login included)"));
            bool inOrder = delivered.SequenceEqual(stored);
            result.Target("all delivered in order, once", inOrder, inOrder ? "yes" : "order or ids differ from the acknowledgements");
            result.Target("delivered within 1 s of login", flush < 1, $"{flush * 1000:0} ms");
            if (!inOrder)
            {
                result.Failures.Add("offline-flush: the delivered ids are not the stored ids in order");
            }

            // Receipts: one per stored message, to the sender that is still online.
            var receipts = new HashSet<ulong>();
            while (receipts.Count < count)
            {
                var reply = await sender.ReadUntilAsync(r => r.Packet is ReceiptPacket, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                if (reply.Packet is not ReceiptPacket receipt)
                {
                    result.Failures.Add($"offline-flush: {receipts.Count} of {count} receipts, then {reply}");
                    break;
                }

                receipts.Add(receipt.MessageId);
            }

            result.Extra.Add(("receipts", $"{receipts.Count:N0} to the sender, the last {Clock.ToSeconds(Clock.Now - loginAt) * 1000:0} ms after the login"));
            result.Target("a receipt for every stored message", receipts.SetEquals(stored), $"{receipts.Count:N0}");
            return [result];
        }, cancellationToken).ConfigureAwait(false);
    }
}
