using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>
/// The undelivered offline messages per recipient, and per sender within each recipient's queue, counted once from
/// the database and then kept up to date by the writer (the only thread that uses it). Two caps: the queue's
/// (OfflineMessagesPerUser), and each sender's share of it (OfflineMessagesPerSender), so one account, or one runaway
/// script, cannot fill a colleague's queue and have everyone else's messages refused.
/// </summary>
internal sealed class OfflineCounts(SqliteConnection connection, int perUser, int perSender)
{
    private readonly Dictionary<string, int> _byRecipient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _bySender = new(StringComparer.Ordinal);

    /// <summary>Why a message from <paramref name="senderKey"/> cannot join <paramref name="recipientKey"/>'s queue, or null when it can.</summary>
    public AppendStatus? Refusal(string recipientKey, string senderKey) =>
        Pending(recipientKey) >= perUser ? AppendStatus.TooManyStored
        : PendingFrom(recipientKey, senderKey) >= perSender ? AppendStatus.TooManyStoredFromSender
        : null;

    public void Added(string recipientKey, string senderKey)
    {
        _byRecipient[recipientKey] = Pending(recipientKey) + 1;
        int from = PendingFrom(recipientKey, senderKey);
        _bySender[recipientKey][senderKey] = from + 1;
    }

    /// <summary>After a delivery of <paramref name="count"/> of the recipient's messages; the per-sender shares are counted again when next needed.</summary>
    public void Delivered(string recipientKey, int count)
    {
        if (_byRecipient.TryGetValue(recipientKey, out int pending))
        {
            _byRecipient[recipientKey] = Math.Max(0, pending - count);
        }

        _bySender.Remove(recipientKey);
    }

    /// <summary>After rows of one recipient's queue were removed undelivered (a removed account's queue): it is counted again when next needed.</summary>
    public void Forget(string recipientKey)
    {
        _byRecipient.Remove(recipientKey);
        _bySender.Remove(recipientKey);
    }

    /// <summary>After a rollback or a bulk change (expiry): everything is counted again when next needed.</summary>
    public void Forget()
    {
        _byRecipient.Clear();
        _bySender.Clear();
    }

    private int Pending(string recipientKey)
    {
        if (!_byRecipient.TryGetValue(recipientKey, out int pending))
        {
            pending = Count("SELECT count(*) FROM offline WHERE recipient = $r AND delivered_ms IS NULL", recipientKey, null);
            _byRecipient[recipientKey] = pending;
        }

        return pending;
    }

    private int PendingFrom(string recipientKey, string senderKey)
    {
        if (!_bySender.TryGetValue(recipientKey, out var senders))
        {
            senders = new Dictionary<string, int>(StringComparer.Ordinal);
            _bySender[recipientKey] = senders;
        }

        if (!senders.TryGetValue(senderKey, out int pending))
        {
            // The offline_pending index narrows it to the recipient's queue, which the per-user cap bounds.
            pending = Count("SELECT count(*) FROM offline WHERE recipient = $r AND sender = $s AND delivered_ms IS NULL", recipientKey, senderKey);
            senders[senderKey] = pending;
        }

        return pending;
    }

    private int Count(string sql, string recipientKey, string? senderKey)
    {
        using var count = connection.CreateCommand();
        count.CommandText = sql;
        count.Parameters.AddWithValue("$r", recipientKey);
        if (senderKey is not null)
        {
            count.Parameters.AddWithValue("$s", senderKey);
        }

        return Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
