using System.Globalization;

namespace LanTalk.Server.Irc;

/// <summary>
/// draft/chathistory by time: <c>msgid=</c> and <c>timestamp=</c> references as id bounds, and
/// <c>CHATHISTORY TARGETS</c> (the conversations whose newest message lies in a time window).
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>
    /// <c>CHATHISTORY TARGETS timestamp=A timestamp=B limit</c>: the channels the user is in and the users they have a
    /// private conversation with whose newest message lies strictly between the two times (in either order), the
    /// oldest newest-message first, in a <c>draft/chathistory-targets</c> batch: <c>CHATHISTORY TARGETS name time</c>.
    /// </summary>
    private void AnswerTargets(string a, string b, int limit)
    {
        bool aOk = TryTimestamp(a, out long aFloor, out long aCeiling);
        if (!aOk || !TryTimestamp(b, out long bFloor, out long bCeiling))
        {
            Fail("INVALID_PARAMS", "TARGETS", aOk ? b : a, "TARGETS takes two timestamp=YYYY-MM-DDThh:mm:ss.sssZ references");
            return;
        }

        // Strictly between: a time after the earlier reference (above its floor) and before the later one (below its
        // ceiling); both in whole milliseconds, as messages are stored.
        (long afterMs, long beforeMs) = aFloor <= bFloor ? (aFloor, bCeiling) : (bFloor, aCeiling);
        // A guest has no account, so nothing private of it is stored (a removed account of the same name had its own).
        var targets = _server.RoomHistory.Targets(Nick, _server.RoomCommands.RoomNamesOf(Nick), includePrivate: !IsGuest, afterMs, beforeMs, limit);
        string? batch = NewBatchId();
        lock (_deliveryLock)
        {
            string? tags = batch is null ? null : "batch=" + batch;
            if (batch is not null)
            {
                SendRaw(ServerPrefix, "BATCH", "+" + batch, "draft/chathistory-targets");
            }

            foreach (var target in targets)
            {
                Emit(IrcLine.Build(tags, ServerPrefix, "CHATHISTORY", "TARGETS", target.IsRoom ? "#" + target.Name : target.Name, IrcLine.Time(target.NewestMs)["time=".Length..]));
            }

            if (batch is not null)
            {
                SendRaw(ServerPrefix, "BATCH", "-" + batch);
            }
        }
    }

    /// <summary>
    /// A reference as id bounds: messages after it are those above <c>Low</c>, messages before it those below
    /// <c>High</c>. <c>msgid=N</c> (N ≥ 1) is N for both; <c>msgid=N-K</c> (K ≥ 2), the msgid of line K of a split
    /// message (see <see cref="RenderMessage"/>), names message N, since a client pages from whatever line it has at
    /// the edge. <c>timestamp=T</c> reads the store for the first id at or after T (High) and the last id at or before
    /// it (Low); <c>*</c> is (0, 0) where <paramref name="star"/> allows it.
    /// </summary>
    private bool TryReference(string text, bool star, out (ulong Low, ulong High) bound)
    {
        bound = default;
        if (star && text == "*")
        {
            return true;
        }

        if (TryTimestamp(text, out long floorMs, out long ceilingMs))
        {
            bound = (_server.RoomHistory.FirstIdAt(floorMs + 1) - 1, _server.RoomHistory.FirstIdAt(ceilingMs));
            return true;
        }

        if (!text.StartsWith("msgid=", StringComparison.Ordinal))
        {
            return false;
        }

        var value = text.AsSpan(6);
        int dash = value.IndexOf('-');
        if (dash >= 0)
        {
            if (!uint.TryParse(value[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out uint line) || line < 2)
            {
                return false;
            }

            value = value[..dash];
        }

        if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong id) || id == 0)
        {
            return false;
        }

        bound = (id, id);
        return true;
    }

    /// <summary>
    /// <c>timestamp=YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)</c>, as whole milliseconds since 1970 rounded down
    /// (<paramref name="floorMs"/>) and up (<paramref name="ceilingMs"/>): messages are stored in whole milliseconds,
    /// so "after T" is above the floor and "before T" below the ceiling, also for a time with microseconds.
    /// </summary>
    private static bool TryTimestamp(string text, out long floorMs, out long ceilingMs)
    {
        floorMs = ceilingMs = 0;
        if (!text.StartsWith("timestamp=", StringComparison.Ordinal)
            || !DateTimeOffset.TryParseExact(text.AsSpan("timestamp=".Length), s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time))
        {
            return false;
        }

        long ticks = Math.Max(0, time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
        floorMs = ticks / TimeSpan.TicksPerMillisecond;
        ceilingMs = floorMs + (ticks % TimeSpan.TicksPerMillisecond == 0 ? 0 : 1);
        return true;
    }

    // ISO 8601 as IRCv3 server-time writes it, with or without a fraction, in UTC (Z) or with an offset.
    private static readonly string[] s_timestampFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"];
}
