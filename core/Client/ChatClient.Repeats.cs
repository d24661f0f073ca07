using LanTalk.Core.Packets;

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
    // The live ids raised since the room was entered are remembered as a span, whatever their number (RaisedIds). One by
    // one only the others: a replay's, whose live copy may still come (the echo of a send made meanwhile), and a few
    // live ones that came out of order; the newest 512 of those cover that, for 4 KiB a room.
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
            bool replayed = message.Flags.HasFlag(MessageMarks.History);
            if (ids.Contains(message.Id, replayed))
            {
                return false;
            }

            ids.Add(message.Id, replayed);
            return true;
        }
    }

    /// <summary>Under the pending lock: the user left the room (or was kicked, or it was deleted), so its next join's replay is all new.</summary>
    private void ForgetRaised(string room) => _raised.Remove(room);
}
