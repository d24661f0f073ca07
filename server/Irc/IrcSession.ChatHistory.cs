using System.Globalization;
using LanTalk.Core.Packets;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// draft/chathistory: <c>CHATHISTORY LATEST|BEFORE|AFTER|AROUND|BETWEEN target ref [ref] limit</c> for channels and
/// private conversations, answered from the same store as a v3 History request
/// (<see cref="Rooms.IRoomHistory.HandleHistory"/>), in one <c>chathistory</c> batch, and <c>CHATHISTORY TARGETS</c>.
/// References are <c>msgid=N</c> and <c>timestamp=T</c> (and <c>*</c> for LATEST); MSGREFTYPES says so.
/// </summary>
internal sealed partial class IrcSession
{
    private void OnChatHistory(IrcMessage message)
    {
        // Only for a client that negotiated the cap (the specification requires it): answered without, the history
        // came as plain lines that look live (an IRC audit, 2026-12-04). With History off the cap is not offered.
        if (!Caps.HasFlag(IrcCaps.ChatHistory))
        {
            Numeric(IrcNumeric.UnknownCommand, "CHATHISTORY", "Unknown command: request the draft/chathistory capability first");
            return;
        }

        if (message.Params.Count == 0)
        {
            Numeric(IrcNumeric.NeedMoreParams, "CHATHISTORY", "Not enough parameters");
            return;
        }

        // The error codes the chathistory specification gives: UNKNOWN_COMMAND and NEED_MORE_PARAMS, each naming the
        // subcommand.
        string sub = message.Param(0).ToUpperInvariant();
        if (sub is not ("LATEST" or "BEFORE" or "AFTER" or "AROUND" or "BETWEEN" or "TARGETS"))
        {
            Fail("UNKNOWN_COMMAND", sub, "Unknown command");
            return;
        }

        if (message.Params.Count < (sub == "BETWEEN" ? 5 : 4))
        {
            Fail("NEED_MORE_PARAMS", sub, "Missing parameters");
            return;
        }

        // A limit above what fits in an int is a big number all the same: capped at the advertised CHATHISTORY=N like
        // any other over it (IRCv3 chathistory lets the server cap it), where 99999999999 was FAIL INVALID_PARAMS (an
        // IRC audit, 2026-12-07). Only digits count: a sign, a space or a zero is still refused.
        string given = message.Params[^1];
        if (!int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out int limit))
        {
            limit = given.Length > 0 && given.All(char.IsAsciiDigit) && given.Any(c => c != '0') ? int.MaxValue : 0;
        }

        if (limit < 1)
        {
            Fail("INVALID_PARAMS", sub, "The limit must be a positive number");
            return;
        }

        // The CHATHISTORY=N advertised, not MaxHistoryPage alone (a session's queue share may make N smaller).
        limit = Math.Min(limit, ChatHistoryPage(_server.Settings));
        try
        {
            if (sub == "TARGETS")
            {
                AnswerTargets(message.Params[1], message.Params[2], limit);
            }
            else
            {
                AnswerHistory(sub, message, limit);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A time reference or TARGETS reads the store here; a store that cannot be read answers like a page that
            // failed (the same condition a v3 client sees as StorageUnavailable).
            s_log.Warn("{Session} CHATHISTORY {Sub} failed: {Error}", this, sub, ex.Message);
            Fail("MESSAGE_ERROR", sub, "History cannot be read now; try again later");
        }
    }

    private void AnswerHistory(string sub, IrcMessage message, int limit)
    {
        bool between = sub == "BETWEEN";
        string target = message.Params[1];
        string? room = null;
        string? other = null;
        if (target.StartsWith('#'))
        {
            if (RoomOf(target, reply: false) is not { } asked || Channel(asked) is not { } channel)
            {
                Fail("INVALID_TARGET", sub, target, "Only channels you are in have history here");
                return;
            }

            // The room's own spelling, as its lines name it: "CHATHISTORY LATEST #DEV" answers in a batch for #dev.
            room = channel.Room;
        }
        else if (IsGuest || _server.Users.Find(target)?.Name is not { } account)
        {
            // A guest has no account, so nothing of it is stored; a nick with no account has no conversation stored.
            Fail("INVALID_TARGET", sub, target, IsGuest ? "Guests have no stored history" : "No such account");
            return;
        }
        else
        {
            other = account;
        }

        bool firstOk = TryReference(message.Params[2], sub == "LATEST", out var first);
        var second = (Low: 0UL, High: 0UL);
        if (!firstOk || (between && !TryReference(message.Params[3], false, out second)))
        {
            // Names the reference that is wrong: the first, or BETWEEN's second.
            Fail("INVALID_PARAMS", sub, message.Params[firstOk ? 3 : 2], "References are msgid=N or timestamp=YYYY-MM-DDThh:mm:ss.sssZ (or * for LATEST)");
            return;
        }

        // Each query is (beforeId, afterId, limit, fromFirst): the store pages newest-first below beforeId, or
        // oldest-first above afterId (from the first message when fromFirst and afterId is 0). A reference's High is
        // the bound for "before it", its Low for "after it" (the same id for a msgid; for a time, the first id at or
        // after it and the last id before or at it).
        (ulong Before, ulong After, int Limit, bool FromFirst)[] queries = sub switch
        {
            // After the reference, but the newest ones: the newest page, less what is not above the reference.
            "LATEST" => [(0, 0, limit, false)],
            "BEFORE" => [(first.High, 0, limit, false)],
            "AFTER" => [(0, first.Low, limit, true)],
            // Half before the reference, the rest from the reference on (the reference included).
            "AROUND" => [(first.High, 0, limit / 2, false), (0, first.High - 1, limit - (limit / 2), true)],
            // Counted from the first reference towards the second (draft/chathistory: "forwards or backwards in time"):
            // forwards, the oldest above the first; backwards, the newest below the first, less what is not above the
            // second. Both were answered with the oldest of the range before, which left a gap for a client paging back.
            _ when first.High <= second.High => [(second.High, first.Low, limit, true)],
            _ => [(first.High, 0, limit, false)],
        };
        ulong aboveId = sub switch
        {
            "LATEST" => first.Low,
            "BETWEEN" when first.High > second.High => second.Low,
            _ => 0,
        };
        _ = AnswerAsync(room, other ?? string.Empty, target, queries, aboveId);
    }

    /// <summary>
    /// The queries' messages in one batch (always sent, also when empty, as the spec asks): of <paramref name="room"/>,
    /// or with <paramref name="room"/> null of the private conversation with <paramref name="other"/> (the account's
    /// stored spelling), the batch named as the client asked (<paramref name="asked"/>). The messages come back as
    /// History frames and are shown by <see cref="OnReplayedMessage"/> or <see cref="OnPrivateHistory"/> while the
    /// answer's entry is open.
    /// </summary>
    private async Task AnswerAsync(string? room, string other, string asked, (ulong Before, ulong After, int Limit, bool FromFirst)[] queries, ulong aboveId)
    {
        string? batch = NewBatchId();
        lock (_deliveryLock)
        {
            if (batch is not null)
            {
                SendRaw(ServerPrefix, "BATCH", "+" + batch, "chathistory", room is null ? asked : "#" + room);
            }

            if (room is null)
            {
                _privateReplay = (other, batch, aboveId);
            }
            else
            {
                _replays[room] = (batch, true, aboveId);
            }
        }

        try
        {
            IReadOnlyCollection<string> rooms = room is null ? [] : _server.RoomCommands.RoomNamesOf(Nick);
            var scope = room is null ? HistoryScope.Private : HistoryScope.Room;
            foreach (var (before, after, limit, fromFirst) in queries.Where(q => q.Limit > 0))
            {
                await _server.RoomHistory.HandleHistory(this, room ?? other, new HistoryRequestPacket(0, scope, before, after, (ushort)limit), rooms, fromFirst).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            s_log.Error(ex, "{Session} CHATHISTORY of '{Target}' failed", this, room ?? other);
        }
        finally
        {
            lock (_deliveryLock)
            {
                if (room is null)
                {
                    _privateReplay = null;
                }
                else
                {
                    _replays.Remove(room);
                }

                if (batch is not null)
                {
                    SendRaw(ServerPrefix, "BATCH", "-" + batch);
                }
            }

            _answers.Queued(this);
        }
    }

    // The conversation whose CHATHISTORY answer is running: the other user, the batch id, the id a line must exceed.
    // Under the delivery lock.
    private (string Other, string? Batch, ulong AboveId)? _privateReplay;

    /// <summary>A stored private message (flag History): shown only inside a CHATHISTORY answer for its conversation.</summary>
    private void OnPrivateHistory(string otherParty, ChatMessagePacket message)
    {
        if (_privateReplay is not { } replay || !UserNames.Comparer.Equals(replay.Other, otherParty) || message.MessageId <= replay.AboveId)
        {
            return;
        }

        string to = IsMe(message.From) ? otherParty : Nick;
        DeliverMessage(message.From, message.Kind == ChatMessageKind.Notice ? "NOTICE" : "PRIVMSG", to, ActionText(message, out bool action), action, message.ServerTimeMs, message.MessageId, batch: replay.Batch, stored: true);
    }

    private void Fail(string code, params string[] parameters) => SendRaw(ServerPrefix, "FAIL", ["CHATHISTORY", code, .. parameters]);
}
