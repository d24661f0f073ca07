using System.Collections.Concurrent;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.History;

/// <summary>
/// Offline private messages at login: the stored ones delivered in batches to every session of the user, marked
/// delivered once written to a socket, the senders told by Receipt; and the same frames again for a session that
/// logs in shortly after (devices started together).
/// </summary>
public sealed partial class StoreRoomHistory
{
    /// <summary>Stored messages delivered per read and delivery mark: 10,000 waiting messages take 20 rounds.</summary>
    internal const int OfflineBatch = 500;

    // How long a flush waits for one batch to be written before it leaves the rest for the next login.
    private const long WriteWaitLimitMs = 60_000;

    // One delivery at a time per user: two sessions logging in together must not both deliver the same queue.
    private readonly KeyedGates _delivering = new();

    // The deliveries of stored messages per user within RecentDeliveryMs, oldest first: the second of two devices
    // started together logged in just after the first had taken them all and saw nothing (a history audit,
    // 2026-12-05). Every delivery in the window is kept, not only the last: a later one (a message stored as its
    // recipient logged in, delivered at its commit) replaced the earlier one's record, and a device logging in next
    // got only the later one's messages (race audit, 2026-12-07). Each list is read and written under its user's
    // delivery gate; stale ones go when the next delivery is recorded.
    private readonly ConcurrentDictionary<string, List<RecentDelivery>> _recent = new(StringComparer.Ordinal);

    /// <summary>How long after a delivery of stored messages another session of the user that logs in gets them too.</summary>
    internal const long RecentDeliveryMs = 30_000;

    /// <summary>The most frames of one delivery kept for a session logging in after it; the rest it pages back to.</summary>
    internal const int RecentDeliveryFrames = 1_000;

    public async Task DeliverOffline(ISessionOutput session)
    {
        if (session.OneShot)
        {
            // They wait for a session someone reads: a cron job's 'lantalk send' took them and the chat never showed
            // them (PROTOCOL.md, ClientHello Flags).
            return;
        }

        string user = MessageStore.UserKey(session.UserName);
        await _delivering.EnterAsync(user).ConfigureAwait(false);
        try
        {
            RedeliverRecent(user, session);
            await DeliverStoredAsync(session).ConfigureAwait(false);
            await TellReceiptsAsync(session).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            // What was not marked delivered stays queued and comes at the next login.
            Unavailable(session, 0, ex, ChatCommand.PrivateMessage);
        }
        finally
        {
            _delivering.Exit(user);
        }
    }

    /// <summary>
    /// A session logging in within <see cref="RecentDeliveryMs"/> of a delivery of stored messages it was not sent gets
    /// them now (flag Offline, the same frames), before anything newer: devices started together all show them.
    /// Under the user's delivery gate.
    /// </summary>
    private void RedeliverRecent(string user, ISessionOutput session)
    {
        // Only v3 (PROTOCOL.md, "Devices started together"): a v2 client cannot see the Offline flag, so a copy read
        // there as a new message (an audit, 2026-12-06).
        if (session.Version < 3 || session.OneShot || !_recent.TryGetValue(user, out var recent))
        {
            return;
        }

        long now = Environment.TickCount64;
        recent.RemoveAll(d => now - d.AtTicks > RecentDeliveryMs);
        if (recent.Count == 0)
        {
            _recent.TryRemove(user, out _);
            return;
        }

        // The rule of PendingFor: nothing stored before the account was created. The delivery may have gone to a removed
        // account of the same name, and a new one logging in within the window received its messages (an audit, 2026-12-06).
        long since = Since(session.UserName);
        foreach (var delivery in recent)
        {
            if (!delivery.Sessions.Add(session.SessionId))
            {
                continue;
            }

            if (session.CopyBlindDevice is { } device && !delivery.BlindDevices.Add(device))
            {
                // The same IRC client reconnecting within the window (a network blip): it already showed these, and IRC
                // shows every line it gets, so the copies read as the messages sent again.
                continue;
            }

            for (int i = 0; i < delivery.Frames.Count; i++)
            {
                if (delivery.StoredMs[i] >= since && !session.Enqueue(delivery.Frames[i]))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Keeps what a delivery sent, and to whom, for <see cref="RedeliverRecent"/>. Under the user's delivery gate.</summary>
    private void RememberDelivery(string user, IEnumerable<ulong> sessions, HashSet<string> blindDevices, List<byte[]> frames, List<long> storedMs)
    {
        long now = Environment.TickCount64;
        foreach (var (name, old) in _recent)
        {
            if (!string.Equals(name, user, StringComparison.Ordinal) && old.TrueForAll(d => now - d.AtTicks > RecentDeliveryMs))
            {
                _recent.TryRemove(name, out _);
            }
        }

        var recent = _recent.GetOrAdd(user, static _ => []);
        recent.RemoveAll(d => now - d.AtTicks > RecentDeliveryMs);
        recent.Add(new RecentDelivery(now, [.. sessions], blindDevices, [.. frames], [.. storedMs]));
        // At most RecentDeliveryFrames in all, the newest kept: the oldest frames go first, then emptied deliveries.
        int excess = recent.Sum(d => d.Frames.Count) - RecentDeliveryFrames;
        while (excess > 0)
        {
            var oldest = recent[0];
            int drop = Math.Min(excess, oldest.Frames.Count);
            oldest.Frames.RemoveRange(0, drop);
            oldest.StoredMs.RemoveRange(0, drop);
            excess -= drop;
            if (oldest.Frames.Count == 0)
            {
                recent.RemoveAt(0);
            }
        }
    }

    /// <summary>The <see cref="ISessionOutput.CopyBlindDevice"/> of each session a delivery reached: the one logging in and those online.</summary>
    private HashSet<string> DevicesReached(ISessionOutput session, HashSet<ulong> reached) =>
        [.. sessionsOf(session.UserName).Append(session)
            .Where(s => reached.Contains(s.SessionId) && s.CopyBlindDevice is not null)
            .Select(s => s.CopyBlindDevice!)];

    /// <summary>
    /// One delivery of stored messages: when, to which sessions and to which copy-blind devices (IRC clients, by
    /// address), its frames (oldest first) and each one's message time.
    /// </summary>
    private sealed record RecentDelivery(long AtTicks, HashSet<ulong> Sessions, HashSet<string> BlindDevices, List<byte[]> Frames, List<long> StoredMs);

    /// <summary>
    /// Stored messages, oldest first, to every session of the user (the one logging in and any other already
    /// online), marked delivered once a session has written them to its socket (only those); each sender online gets a Receipt at once. A crash between
    /// writing and marking delivers them again at the next login, where the client drops ids it already holds.
    /// </summary>
    private async Task DeliverStoredAsync(ISessionOutput session)
    {
        var frames = new List<byte[]>();
        var storedMs = new List<long>();
        var reached = new HashSet<ulong>();
        try
        {
            await DeliverStoredAsync(session, frames, storedMs, reached).ConfigureAwait(false);
        }
        finally
        {
            if (frames.Count > 0)
            {
                RememberDelivery(MessageStore.UserKey(session.UserName), reached, DevicesReached(session, reached), frames, storedMs);
            }
        }
    }

    /// <summary>
    /// The sessions a batch goes to: the one logging in, and every other session of the user logged in now. One that
    /// logged in after the delivery began (not in <paramref name="reached"/>) has none of the frames sent before: it
    /// gets those first, in order, when they fit its queue's share, and is otherwise left out of this delivery, so its
    /// own login, waiting at the user's gate, gets the newest of them (<see cref="RedeliverRecent"/>). It used to get
    /// only the batches from its login on: a chaos audit (2026-12-05) saw a second device miss 500 of 691.
    /// </summary>
    private ISessionOutput[] DeliveryTargets(ISessionOutput session, List<byte[]> delivered, HashSet<ulong> reached, QueueShare share)
    {
        var others = sessionsOf(session.UserName).Where(s => s.SessionId != session.SessionId && !s.OneShot).ToArray();
        string user = MessageStore.UserKey(session.UserName);
        foreach (var other in others)
        {
            // A session still logging in (its own delivery waits at the gate) has not had the recent deliveries it
            // missed: it gets them first, so this delivery does not go ahead of them and they are not left out of its
            // login's re-delivery, which skips a delivery that reached it. A session that had them is marked in each.
            if (!reached.Contains(other.SessionId))
            {
                RedeliverRecent(user, other);
            }
        }

        return [.. others.Prepend(session).Where(s => delivered.Count == 0 || reached.Contains(s.SessionId) || CatchUpLate(s, delivered, share))];
    }

    /// <summary>Queues <paramref name="delivered"/> to a session that logged in during the delivery; false when they do not fit its share.</summary>
    private static bool CatchUpLate(ISessionOutput late, List<byte[]> delivered, QueueShare share)
    {
        long bytes = 0;
        for (int i = 0; i < delivered.Count; i++)
        {
            if (!share.Admits(i, bytes, delivered[i].Length))
            {
                return false;
            }

            bytes += delivered[i].Length;
        }

        foreach (var frame in delivered)
        {
            if (!late.Enqueue(frame))
            {
                return false;
            }
        }

        return true;
    }

    private async Task DeliverStoredAsync(ISessionOutput session, List<byte[]> delivered, List<long> deliveredMs, HashSet<ulong> reached)
    {
        while (true)
        {
            var pending = store.PendingFor(session.UserName, OfflineBatch, Since(session.UserName));
            if (pending.Count == 0)
            {
                return;
            }

            // Sent by a removed account whose name a new account has taken since: delivered, it read as the new
            // person's words (an audit, 2026-12-06). Dropped from the queue, as history shows them to nobody either.
            if (pending.Where(m => Since(m.Sender) > m.TimeMs).Select(m => m.Id).ToArray() is { Length: > 0 } namesakes)
            {
                await store.ForgetPendingAsync(session.UserName, namesakes).ConfigureAwait(false);
                continue;
            }

            // A batch fills at most the queue's share at once (QueueShare); the rest follows once it is written.
            var share = QueueShare.Of(settings());
            var targets = DeliveryTargets(session, delivered, reached, share);
            reached.UnionWith(targets.Select(t => t.SessionId));
            // Per session and message: the session's queue count right after it took the message (its write mark),
            // or long.MaxValue when it did not take it.
            var marks = targets.Select(_ => new long[pending.Count]).ToArray();
            // Per session: the mark of the last message it took (0 = none), what its writes must reach.
            var lastMarks = new long[targets.Length];
            int taken = 0;
            long bytes = 0;
            bool capped = false;
            // This batch's frames: they join `delivered` (what a device logging in within RecentDeliveryMs is sent
            // again) only once marked delivered. The whole batch did before, so after a delivery cut off mid-way a
            // device logging in at once got the unwritten ones twice: as the re-delivery, then from the queue (a
            // network audit, 2026-12-06: ids 73-300 twice on one connection).
            var batchFrames = new List<byte[]>(pending.Count);
            var batchMs = new List<long>(pending.Count);
            foreach (var message in pending)
            {
                // As live: target = the recipient (this user), so a client files it exactly as a live private message.
                byte[] frame = Frame(message, message.Recipient, MessageMarks.Offline);
                if (!share.Admits(taken, bytes, frame.Length))
                {
                    capped = true;
                    break;
                }

                bytes += frame.Length;
                bool anyQueued = false;
                for (int t = 0; t < targets.Length; t++)
                {
                    bool took = targets[t].Enqueue(frame);
                    marks[t][taken] = took ? targets[t].FramesQueued : long.MaxValue;
                    lastMarks[t] = took ? marks[t][taken] : lastMarks[t];
                    anyQueued |= took;
                }

                // No session took it (each closed, or overflowed and was closed as a slow consumer): this one and the
                // rest stay stored for the next login. Before, the whole batch was marked delivered regardless, so a
                // recipient who disconnected during the flush lost every stored message it never received.
                if (!anyQueued)
                {
                    break;
                }

                batchFrames.Add(frame);
                batchMs.Add(message.TimeMs);
                taken++;
            }

            // Marked delivered only once written to some session's socket: taken into a queue was not enough, since a
            // kill -9 or a dropped connection lost what was still queued, while its senders had receipts saying
            // "delivered" (fault injection, 2026-12-04: 615 of 3,000 lost). Waiting also paces the flush to the reader.
            var written = new long[targets.Length];
            for (int t = 0; t < targets.Length; t++)
            {
                written[t] = lastMarks[t] == 0 ? 0 : await WrittenUpToAsync(targets[t], lastMarks[t]).ConfigureAwait(false);
            }

            var queued = new List<long>(taken);
            for (int i = 0; i < taken; i++)
            {
                bool sent = false;
                for (int t = 0; t < targets.Length && !sent; t++)
                {
                    sent = marks[t][i] <= written[t];
                }

                if (!sent)
                {
                    // Frames go out in order: neither this one nor any later one was written.
                    break;
                }

                queued.Add(pending[i].Id);
            }

            if (queued.Count == 0)
            {
                return;
            }

            var receipts = await store.MarkDeliveredAsync(session.UserName, queued.ToArray()).ConfigureAwait(false);
            delivered.AddRange(batchFrames.Take(queued.Count));
            deliveredMs.AddRange(batchMs.Take(queued.Count));
            var told = new List<long>(receipts.Count);
            foreach (var receipt in receipts)
            {
                if (TellSender(receipt))
                {
                    told.Add(receipt.MessageId);
                }
            }

            if (told.Count > 0)
            {
                await store.MarkReceiptsToldAsync(told).ConfigureAwait(false);
            }

            if (queued.Count < taken || (!capped && pending.Count < OfflineBatch))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="session"/> has written its frames up to <paramref name="mark"/>, or its connection
    /// closed and wrote no more; returns how far it got. A peer that stops reading is cut off as a slow consumer within
    /// seconds, which ends the wait; the bound is only a safety net.
    /// </summary>
    private static async Task<long> WrittenUpToAsync(ISessionOutput session, long mark)
    {
        long before = -1;
        int idle = 0;
        var bound = Environment.TickCount64 + WriteWaitLimitMs;
        for (int round = 0; ; round++)
        {
            long written = session.FramesWritten;
            if (written >= mark || Environment.TickCount64 > bound)
            {
                return written;
            }

            // Closing: the writer finishes what it can; a count that stopped moving will not move again.
            idle = session.IsClosing && written == before ? idle + 1 : 0;
            if (idle >= 20)
            {
                return written;
            }

            before = written;
            await Task.Delay(round < 20 ? 1 : 10).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Receipts of this user's own stored messages that were delivered while the user had no session. A v2 session
    /// cannot receive a Receipt, so they wait for the user's next v3 login.
    /// </summary>
    private async Task TellReceiptsAsync(ISessionOutput session)
    {
        while (session.Version >= 3)
        {
            var receipts = store.UntoldReceiptsFor(session.UserName, OfflineBatch);
            if (receipts.Count == 0)
            {
                return;
            }

            long since = Since(session.UserName);
            foreach (var receipt in receipts)
            {
                // A message stored before this account was created was a removed namesake's: its receipt is dropped
                // (marked told below, unsent), or the new account learnt of a message it never sent (an audit, 2026-12-06).
                if (receipt.StoredMs >= since)
                {
                    session.Send(ChatCommand.Receipt, string.Empty, new ReceiptPacket((ulong)receipt.MessageId, receipt.Recipient, receipt.DeliveredMs));
                }
            }

            await store.MarkReceiptsToldAsync(receipts.Select(r => r.MessageId).ToArray()).ConfigureAwait(false);
            if (receipts.Count < OfflineBatch)
            {
                return;
            }
        }
    }

    private bool TellSender(DeliveryReceipt receipt)
    {
        // Sent by a removed account of the sender's name: nobody is told (see TellReceiptsAsync). True, so it counts
        // as told and never waits for the new account's login.
        if (receipt.StoredMs < Since(receipt.Sender))
        {
            return true;
        }

        bool told = false;
        byte[]? frame = null;
        foreach (var sender in sessionsOf(receipt.Sender))
        {
            // A OneShot session (a script's send) is no one to tell: told only there, a receipt was used up unseen, and
            // it waits for a login someone reads instead (PROTOCOL.md, ClientHello Flags).
            if (sender.Version < 3 || sender.OneShot)
            {
                continue;
            }

            frame ??= FrameCodec.Serialize(ChatCommand.Receipt, string.Empty, new ReceiptPacket((ulong)receipt.MessageId, receipt.Recipient, receipt.DeliveredMs));
            told |= sender.Enqueue(frame);
        }

        return told;
    }
}
