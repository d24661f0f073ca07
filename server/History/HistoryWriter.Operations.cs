namespace LanTalk.Server.History;

/// <summary>What write operations call on the writer thread, inside the group's transaction: message and offline inserts, and the offline queue's counts.</summary>
internal sealed partial class HistoryWriter
{
    /// <summary>Inserts a message with the next id; time never goes backwards as ids grow, even if the clock does.</summary>
    public (long Id, long TimeMs) InsertMessage(string? room, string sender, string? recipient, string text, MessageKind kind)
    {
        long id = _lastId + 1;
        _ids?.Cover(id);
        long time = Math.Max(_clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastTimeMs);
        var insert = _insertMessage;
        insert.Bind(1, id);
        insert.Bind(2, room);
        insert.Bind(3, sender);
        insert.Bind(4, recipient);
        insert.Bind(5, (long)kind);
        insert.Bind(6, time);
        insert.Bind(7, text);
        insert.Bind(8, recipient is null ? null : MessageStore.PairKey(sender, recipient));
        insert.Execute();
        _lastId = id;
        _lastTimeMs = time;
        if (room is not null)
        {
            _groupRooms.Add(room);
            _groupMessages.Add(new StoredMessage(id, room, sender, null, text, kind, time));
        }

        return (id, time);
    }

    /// <summary>Whether <paramref name="recipient"/>'s offline queue has room for one more (OfflineMessagesPerUser).</summary>
    public bool HasOfflineRoom(string recipient) => PendingOffline(MessageStore.UserKey(recipient)) < _offlineCap;

    public void InsertOffline(long id, string recipient, string sender, long time)
    {
        string key = MessageStore.UserKey(recipient);
        var insert = _insertOffline;
        insert.Bind(1, id);
        insert.Bind(2, key);
        insert.Bind(3, MessageStore.UserKey(sender));
        insert.Bind(4, time);
        insert.Execute();
        _offlinePending[key] = PendingOffline(key) + 1;
    }

    /// <summary>Adjusts the cached undelivered count after a delivery; <see cref="ForgetOfflineCounts"/> after bulk changes.</summary>
    public void OfflineDelivered(string recipientKey, int count)
    {
        if (_offlinePending.TryGetValue(recipientKey, out int pending))
        {
            _offlinePending[recipientKey] = Math.Max(0, pending - count);
        }
    }

    public void ForgetOfflineCounts() => _offlinePending.Clear();

    private int PendingOffline(string key)
    {
        if (!_offlinePending.TryGetValue(key, out int pending))
        {
            using var count = _connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM offline WHERE recipient = $r AND delivered_ms IS NULL";
            count.Parameters.AddWithValue("$r", key);
            pending = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            _offlinePending[key] = pending;
        }

        return pending;
    }
}
