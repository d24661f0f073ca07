using Microsoft.Data.Sqlite;

namespace LanTalk.Server.History;

/// <summary>A room's history ends with the room: a room created later under the same name must not show it.</summary>
public sealed partial class MessageStore
{
    /// <summary>Rows deleted per write: a big room must not hold up the appends queued behind its deletion.</summary>
    private const int ForgetBatch = 500;

    /// <summary>
    /// Deletes every message of <paramref name="room"/> (deleted by its owner, or left by its last member), in
    /// batches through the writer, and forgets its in-memory tail; returns how many went. A failure (disk full, the
    /// store closing) is logged, not thrown: see <see cref="TryForgetRoomAsync"/>, which says whether it was complete.
    /// </summary>
    /// <param name="upToId">The highest id that can be the deleted room's: a room created since under the same name
    /// has only ids above it (Room.HistoryFrom), and a deletion still running in batches must not take its messages.
    /// Lowered to the last id committed when the first batch runs: the writer runs in order, so that covers every
    /// message of the room accepted before the removal was asked for, also one stored after the deletion itself.</param>
    public async Task<long> ForgetRoomAsync(string room, long upToId = long.MaxValue) =>
        (await ForgetRoomCountingAsync(room, upToId).ConfigureAwait(false)).Removed;

    /// <summary>
    /// <see cref="ForgetRoomAsync"/> for the room registry, which lists the deleted room in Rooms.xml until this says
    /// true (every message of it up to <paramref name="upToId"/> is gone), and starts it again otherwise: a removal cut
    /// short by a kill -9, a stop or a failing disk left the rows on disk for good (a fault-injection audit, 2026-12-07).
    /// </summary>
    public async Task<bool> TryForgetRoomAsync(string room, long upToId) =>
        (await ForgetRoomCountingAsync(room, upToId).ConfigureAwait(false)).Complete;

    private async Task<(long Removed, bool Complete)> ForgetRoomCountingAsync(string room, long upToId)
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

                    // The index's merging of these deletes comes after, in the writer's own slices.
                    w.NoteIndexWritten();
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
                    return (total, true);
                }
            }
        }
        catch (Exception ex) when (ex is HistoryUnavailableException or ObjectDisposedException or SqliteException)
        {
            s_log.Warn("The history of deleted room '{Room}' could not be removed now ({Error}); {Removed} message(s) went, the rest is removed later "
                + "(Rooms.xml lists the room as <DeletedRoom> until then: tried again in a minute, and at the next start)", room, ex.Message, total);
            return (total, false);
        }
        finally
        {
            _writer.Tails.Reset(key);
        }
    }
}
