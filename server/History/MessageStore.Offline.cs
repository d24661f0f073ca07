using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>The offline queue: private messages stored for a user with no session, their delivery and its receipts.</summary>
public sealed partial class MessageStore
{
    /// <summary>
    /// What waits for <paramref name="user"/>, oldest first, at most <paramref name="limit"/>: undelivered and not
    /// older than OfflineMessageDays (an expired message is never delivered, even before retention removes it), nor
    /// stored before <paramref name="sinceMs"/>, when the account was created: a message waiting for a removed
    /// account of the same name was never this account's.
    /// </summary>
    public IReadOnlyList<StoredMessage> PendingFor(string user, int limit = int.MaxValue, long sinceMs = 0) =>
        Query($"SELECT {Columns} FROM offline o JOIN messages m ON m.id = o.message_id " +
            "WHERE o.recipient = $user AND o.delivered_ms IS NULL AND o.stored_ms >= $cutoff ORDER BY o.message_id LIMIT $limit",
            ("$user", UserKey(user)), ("$cutoff", Math.Max(OfflineCutoffMs(), sinceMs)), ("$limit", limit));

    /// <summary>
    /// Removes what waits for a removed account, so a new account of the same name never receives it (and it does
    /// not count against that account's OfflineMessagesPerUser). The messages stay in their senders' history.
    /// </summary>
    /// <remarks>
    /// <paramref name="storedBeforeMs"/>: when the name already has a new account (removed and created again between two
    /// polls of Users.xml), what was stored for the new one since its creation stays: it was acknowledged as stored.
    /// </remarks>
    public Task<int> ForgetPendingForAsync(string user, long storedBeforeMs = long.MaxValue) =>
        WriteAsync(writer =>
        {
            using var command = writer.Connection.CreateCommand();
            command.CommandText = "DELETE FROM offline WHERE recipient = $user AND delivered_ms IS NULL AND stored_ms < $before";
            command.Parameters.AddWithValue("$user", UserKey(user));
            command.Parameters.AddWithValue("$before", storedBeforeMs);
            int removed = command.ExecuteNonQuery();
            // The cap counts what the writer counted: left as it was, a new account of the name was refused as
            // TooManyStored with an empty queue until a restart (a soak audit, 2026-12-06).
            writer.ForgetOfflineCounts(UserKey(user));
            return removed;
        });

    /// <summary>
    /// At start: removes what waits for accounts removed while no server watched Users.xml (removed while it was
    /// stopped, or in the second before a kill -9, before its poll saw `user remove`), as <see cref="ForgetPendingForAsync"/>
    /// does for a removal seen while running. Else the old account's messages stayed queued, never deliverable to a new
    /// account of the name, and counted against that account's OfflineMessagesPerUser and each sender's share: the
    /// senders were refused TooManyStored for the new account until the messages expired (a fault-injection audit,
    /// 2026-12-07). <paramref name="createdMs"/> gives an account's creation time, null for a name without an account;
    /// what was stored before it is what delivery (<see cref="PendingFor"/> with sinceMs) would never send.
    /// Returns the recipients whose queue lost messages, with how many.
    /// </summary>
    public Task<IReadOnlyList<(string Recipient, int Removed)>> ForgetPendingOfRemovedAsync(Func<string, long?> createdMs)
    {
        // Looked at first through a reader: the usual start has nothing to drop, and a write op would commit (and flush)
        // for nothing and set the writer watching its files from the first second.
        if (!AnyPendingOfRemoved(createdMs))
        {
            return Task.FromResult<IReadOnlyList<(string Recipient, int Removed)>>([]);
        }

        return WriteAsync<IReadOnlyList<(string Recipient, int Removed)>>(writer =>
        {
            var recipients = new List<string>();
            using (var list = writer.Connection.CreateCommand())
            {
                list.CommandText = "SELECT DISTINCT recipient FROM offline WHERE delivered_ms IS NULL";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    recipients.Add(reader.GetString(0));
                }
            }

            var dropped = new List<(string, int)>();
            using var forget = writer.Connection.CreateCommand();
            forget.CommandText = "DELETE FROM offline WHERE recipient = $user AND delivered_ms IS NULL AND stored_ms < $before";
            var user = forget.Parameters.Add("$user", SqliteType.Text);
            var before = forget.Parameters.Add("$before", SqliteType.Integer);
            foreach (string recipient in recipients)
            {
                user.Value = recipient;
                before.Value = createdMs(recipient) ?? long.MaxValue;
                int removed = forget.ExecuteNonQuery();
                if (removed > 0)
                {
                    writer.ForgetOfflineCounts(recipient);
                    dropped.Add((recipient, removed));
                }
            }

            return dropped;
        });
    }

    private bool AnyPendingOfRemoved(Func<string, long?> createdMs)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT recipient, min(stored_ms) FROM offline WHERE delivered_ms IS NULL GROUP BY recipient";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetInt64(1) < (createdMs(reader.GetString(0)) ?? long.MaxValue))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Removes <paramref name="ids"/> from <paramref name="user"/>'s queue without delivering them (no receipt): what a
    /// removed account sent, once a new account has taken its name (<see cref="StoreRoomHistory"/> finds them).
    /// </summary>
    public Task<int> ForgetPendingAsync(string user, IReadOnlyCollection<long> ids) =>
        WriteAsync(writer =>
        {
            int removed = HistoryPruner.Execute(writer.Connection,
                "DELETE FROM offline WHERE recipient = $user AND message_id = $id AND delivered_ms IS NULL", ids, ("$user", UserKey(user)));
            writer.ForgetOfflineCounts(UserKey(user));
            return removed;
        });

    /// <summary>
    /// Marks stored messages as delivered to <paramref name="user"/> (ids of other users' queues and ids already
    /// delivered are ignored) and returns their receipts, after the commit, for telling the senders.
    /// </summary>
    public Task<IReadOnlyList<DeliveryReceipt>> MarkDeliveredAsync(string user, IReadOnlyCollection<long> ids) =>
        WriteAsync<IReadOnlyList<DeliveryReceipt>>(writer =>
        {
            string key = UserKey(user);
            long now = writer.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            var receipts = new List<DeliveryReceipt>(ids.Count);
            using var command = writer.Connection.CreateCommand();
            command.CommandText = "UPDATE offline SET delivered_ms = $now WHERE message_id = $id AND recipient = $user AND delivered_ms IS NULL RETURNING sender, stored_ms";
            var id = command.Parameters.AddWithValue("$id", 0L);
            command.Parameters.AddWithValue("$user", key);
            command.Parameters.AddWithValue("$now", now);
            foreach (long messageId in ids)
            {
                id.Value = messageId;
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    receipts.Add(new DeliveryReceipt(messageId, reader.GetString(0), key, now, reader.GetInt64(1)));
                }
            }

            writer.OfflineDelivered(key, receipts.Count);
            return receipts;
        });

    /// <summary>The receipt of one stored message, or null while it is undelivered (or was never queued).</summary>
    public DeliveryReceipt? Receipt(long messageId)
    {
        var all = Receipts("WHERE message_id = $id AND delivered_ms IS NOT NULL", ("$id", messageId));
        return all.Count > 0 ? all[0] : null;
    }

    /// <summary>
    /// Receipts of <paramref name="sender"/>'s stored messages with ids above <paramref name="afterId"/>, oldest
    /// first: what a sender who was offline when delivery happened is told at the next login.
    /// </summary>
    public IReadOnlyList<DeliveryReceipt> ReceiptsFor(string sender, long afterId, int limit) =>
        Receipts("WHERE sender = $sender AND delivered_ms IS NOT NULL AND message_id > $after ORDER BY message_id LIMIT $limit",
            ("$sender", UserKey(sender)), ("$after", afterId), ("$limit", limit));

    /// <summary>
    /// Receipts <paramref name="sender"/> has not been told of yet, oldest first: the deliveries that happened while
    /// the sender had no session. After sending them, <see cref="MarkReceiptsToldAsync"/> records it.
    /// </summary>
    public IReadOnlyList<DeliveryReceipt> UntoldReceiptsFor(string sender, int limit) =>
        Receipts("WHERE sender = $sender AND delivered_ms IS NOT NULL AND notified_ms IS NULL ORDER BY message_id LIMIT $limit",
            ("$sender", UserKey(sender)), ("$limit", limit));

    /// <summary>Records that the senders of these delivered messages were told (their Receipt was queued to a session).</summary>
    public Task<int> MarkReceiptsToldAsync(IReadOnlyCollection<long> ids) =>
        WriteAsync(writer =>
        {
            long now = writer.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            using var command = writer.Connection.CreateCommand();
            command.CommandText = "UPDATE offline SET notified_ms = $now WHERE message_id = $id AND delivered_ms IS NOT NULL AND notified_ms IS NULL";
            var id = command.Parameters.AddWithValue("$id", 0L);
            command.Parameters.AddWithValue("$now", now);
            int told = 0;
            foreach (long messageId in ids)
            {
                id.Value = messageId;
                told += command.ExecuteNonQuery();
            }

            return told;
        });

    /// <summary>
    /// Messages stored before this are expired; 0 (none is) while the wall clock is not trusted: a clock set 40 days
    /// ahead withheld every waiting message at login, silently, though retention by age waited for the same reason
    /// (fault injection, 2026-12-05). Retention deletes them once the clock is trusted again.
    /// Also 0 while even the newest stored message is older than the cutoff: expiry would then empty the whole queue,
    /// which is what a clock wrong since start looks like (restarted 400 days ahead, the first pass expired every
    /// waiting message: fault injection, 2026-12-06); see <see cref="HistoryPruner"/>'s WARN.
    /// </summary>
    internal long OfflineCutoffMs()
    {
        if (!ClockTrusted)
        {
            return 0;
        }

        long cutoff = _clock.GetUtcNow().AddDays(-Settings.OfflineMessageDays).ToUnixTimeMilliseconds();
        return NewestMessageMs() is { } newest && newest < cutoff ? 0 : cutoff;
    }

    /// <summary>Whether any message waits for delivery.</summary>
    internal bool HasPendingOffline()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM offline WHERE delivered_ms IS NULL)";
        return command.ExecuteScalar() is long and not 0;
    }

    /// <summary>The stored time of the newest message (the highest id: times never decrease with ids), or null when none is stored.</summary>
    internal long? NewestMessageMs()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT time_ms FROM messages ORDER BY id DESC LIMIT 1";
        return command.ExecuteScalar() is long time ? time : null;
    }

    private List<DeliveryReceipt> Receipts(string where, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, sender, recipient, delivered_ms, stored_ms FROM offline " + where;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<DeliveryReceipt>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new DeliveryReceipt(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return list;
    }
}
