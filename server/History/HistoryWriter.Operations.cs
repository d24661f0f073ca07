namespace LanTalk.Server.History;

/// <summary>What write operations call on the writer thread, inside the group's transaction: message and offline inserts, and the offline queue's counts.</summary>
internal sealed partial class HistoryWriter
{
    /// <summary>Inserts a message with the next id; time never goes backwards as ids grow, even if the clock does.</summary>
    public (long Id, long TimeMs) InsertMessage(string? room, string sender, string? recipient, string text, MessageKind kind)
    {
        long id = _lastId + 1;
        _ids?.Cover(id);
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        long time = Math.Max(Math.Max(now, _lastTimeMs), Volatile.Read(ref _timeFloorMs));
        NoteClockBehind(now, time);
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
        Volatile.Write(ref _lastTimeMs, time);
        if (room is not null)
        {
            _groupRooms.Add(room);
            _groupMessages.Add(new StoredMessage(id, room, sender, null, text, kind, time));
        }

        return (id, time);
    }

    /// <summary>Why <paramref name="sender"/>'s message cannot join <paramref name="recipient"/>'s offline queue (a cap), or null.</summary>
    public AppendStatus? OfflineRefusal(string recipient, string sender) => Offline.Refusal(MessageStore.UserKey(recipient), MessageStore.UserKey(sender));

    public void InsertOffline(long id, string recipient, string sender, long time)
    {
        string key = MessageStore.UserKey(recipient);
        string senderKey = MessageStore.UserKey(sender);
        var insert = _insertOffline;
        insert.Bind(1, id);
        insert.Bind(2, key);
        insert.Bind(3, senderKey);
        insert.Bind(4, time);
        insert.Execute();
        Offline.Added(key, senderKey);
    }

    /// <summary>Adjusts the cached undelivered counts after a delivery; <see cref="ForgetOfflineCounts()"/> after bulk changes.</summary>
    public void OfflineDelivered(string recipientKey, int count) => Offline.Delivered(recipientKey, count);

    public void ForgetOfflineCounts() => Offline.Forget();

    /// <summary>After rows of one recipient's queue were removed undelivered: its cached counts are dropped and counted again.</summary>
    public void ForgetOfflineCounts(string recipientKey) => Offline.Forget(recipientKey);
}
