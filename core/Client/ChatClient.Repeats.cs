namespace LanTalk.Core.Client;

/// <summary>
/// PROTOCOL.md, History and catch-up: a live message already on its way when a resync (a JoinRoom or catch-up of a
/// room the session is in) is handled arrives live and again in the replay, and "a resyncing client MUST drop a
/// message whose id it already holds". This library is that client: a bot that logged in again and then caught up
/// got a live message twice through <see cref="MessageReceived"/> and answered its command twice (an API audit,
/// 2026-12-06). A replayed room message whose id this client already raised in that room is dropped.
/// </summary>
public sealed partial class ChatClient
{
    // Live messages overtaken by a replay are those that arrived between the login (or the caller's snapshot of the
    // last id it handled) and the replay's room state: a few, or at most a few hundred under heavy traffic. The newest
    // 512 ids raised per room cover that, for 4 KiB a room.
    private const int RememberedPerRoom = 512;

    // The ids raised per room, newest last, in a ring. Forgotten when the user leaves the room: a later join is a
    // fresh one, whose recent history the caller wants again. Guarded by _pendingLock.
    private readonly Dictionary<string, RaisedIds> _raised = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>False for a room message whose id this client already raised there; else remembers it as raised.</summary>
    private bool FirstTimeRaised(ChatMessage message)
    {
        if (message.Room.Length == 0 || message.IsPrivate)
        {
            return true;
        }

        lock (_pendingLock)
        {
            if (!_raised.TryGetValue(message.Room, out var ids))
            {
                _raised[message.Room] = ids = new RaisedIds(RememberedPerRoom);
            }

            // Live ones too: a resync's replay can also come before the live copy (the echo of a send made meanwhile).
            if (ids.Contains(message.Id))
            {
                return false;
            }

            ids.Add(message.Id);
            return true;
        }
    }

    /// <summary>Under the pending lock: the user left the room (or was kicked, or it was deleted), so its next join's replay is all new.</summary>
    private void ForgetRaised(string room) => _raised.Remove(room);
}
