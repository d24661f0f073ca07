using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>A room's history ends with the room: a room created later under the same name must not show it.</summary>
public sealed partial class MessageStore
{
    /// <summary>Rows deleted per write: a big room must not hold up the appends queued behind its deletion.</summary>
    private const int ForgetBatch = 500;

    /// <summary>
    /// Deletes every message of <paramref name="room"/> (deleted by its owner, or left by its last member), in
    /// batches through the writer, and forgets its in-memory tail. A failure (disk full) is logged, not thrown:
    /// the room is gone either way, and retention removes what is left.
    /// </summary>
    /// <param name="upToId">The highest id that can be the deleted room's: a room created since under the same name
    /// has only ids above it (Room.HistoryFrom), and a deletion still running in batches must not take its messages.
    /// Lowered to the last id committed when the first batch runs: the writer runs in order, so that covers every
    /// message of the room accepted before the removal was asked for, also one stored after the deletion itself.</param>
    public async Task<long> ForgetRoomAsync(string room, long upToId = long.MaxValue)
    {
        string key = RoomKey(room);
        long total = 0;
        long upTo = -1;
        try
        {
            while (true)
            {
                int deleted = await WriteAsync(w =>
                {
                    if (upTo < 0)
                    {
                        upTo = Math.Min(upToId, _writer.LastId);
                    }

                    using var command = w.Connection.CreateCommand();
                    command.CommandText = "DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE room = $room AND id <= $upTo LIMIT $batch)";
                    command.Parameters.AddWithValue("$room", key);
                    command.Parameters.AddWithValue("$upTo", upTo);
                    command.Parameters.AddWithValue("$batch", ForgetBatch);
                    return command.ExecuteNonQuery();
                }).ConfigureAwait(false);
                total += deleted;
                if (deleted < ForgetBatch)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is HistoryUnavailableException or ObjectDisposedException or SqliteException)
        {
            s_log.Warn("The history of deleted room '{Room}' could not be removed now ({Error}); retention removes it later", room, ex.Message);
        }
        finally
        {
            _writer.Tails.Reset(key);
        }

        return total;
    }
}
