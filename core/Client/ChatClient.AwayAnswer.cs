using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>
/// SetAway's answer is an Away without a tag, and the session gets Aways naming its user for other reasons too: after
/// every online list (at login, on RequestUsers) for each listed user who is away, and when another session of the
/// user sets it. Taken as "the first Away naming the user after the request", a SetAway sent while a user list was on
/// its way completed with the list's stale Away ("old i" for "new i", 4 runs in 5; an API audit, 2026-12-06). So a
/// SetAway is followed by a WhoIs of the user, whose answer carries a tag: answers come in order on a connection, so
/// the SetAway's own Away is the last one naming the user before that UserInfo (PROTOCOL.md, Negotiation).
/// </summary>
public sealed partial class ChatClient
{
    // The tag of the WhoIs sent after the SetAway in flight (0: none), and the last Away naming the user since that
    // SetAway was registered. Guarded by _pendingLock.
    private uint _awayBarrier;
    private AwayPacket? _awayAnswer;

    /// <summary>Under the pending lock, before the SetAway goes out: nothing seen so far answers it.</summary>
    private void ExpectAwayAnswer() => _awayAnswer = null;

    /// <summary>Sends the WhoIs whose tagged answer marks where the SetAway's own Away has arrived.</summary>
    private void SendAwayBarrier()
    {
        uint tag;
        string user;
        lock (_pendingLock)
        {
            if (UserName is not { } self)
            {
                // Not logged in: the server refuses the SetAway and closes, which fails it.
                return;
            }

            user = self;
            do
            {
                tag = ConfirmedTagBit | ((uint)Interlocked.Increment(ref _nextTag) & ~ConfirmedTagBit);
            }
            while (_pendingRequests.ContainsKey(tag) || _pendingSends.ContainsKey(tag));

            _awayBarrier = tag;
        }

        SendFrame(Encode(ChatCommand.WhoIs, string.Empty, new RoomRequestPacket(tag, Name: user)));
    }

    /// <summary>Under the pending lock: an Away naming this user, the SetAway's answer if no later one comes before the barrier.</summary>
    private void OwnAway(AwayPacket away)
    {
        if (UntaggedInFlight(ChatCommand.SetAway) is not null)
        {
            _awayAnswer = away;
        }
    }

    /// <summary>Under the pending lock: the answer (or Error) with <paramref name="tag"/> arrived; true if it was the barrier's.</summary>
    private bool AwayBarrierPassed(uint tag)
    {
        if (tag == 0 || tag != _awayBarrier)
        {
            return false;
        }

        _awayBarrier = 0;
        if (_awayAnswer is { } answer)
        {
            // None when the SetAway was refused: its Error, with its tag, came first and failed it.
            _awayAnswer = null;
            AnswerUntagged(ChatCommand.SetAway, answer);
        }

        return true;
    }
}
