namespace LanTalk.Server.Rooms;

/// <summary>
/// Counts the frames a session holds back while its join replay or its login flush of stored messages is queued,
/// against the bounds of its outbound queue. A hold lasts as long as a read of the store, which a stalled disk can make
/// long, and live traffic must not pile up without limit meanwhile: past the bounds the session is cut off as a slow
/// consumer, exactly as if those frames had been queued. Not thread-safe: the session's hold lock owns it.
/// </summary>
internal sealed class HeldFrames(int maxFrames, long maxBytes)
{
    public int Frames { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Adds <paramref name="frame"/> to <paramref name="list"/>; false, adding nothing, when that would pass a bound.</summary>
    public bool TryAdd(List<byte[]> list, byte[] frame)
    {
        if (Frames >= maxFrames || Bytes + frame.Length > maxBytes)
        {
            return false;
        }

        list.Add(frame);
        Frames++;
        Bytes += frame.Length;
        return true;
    }

    /// <summary>The frames of <paramref name="list"/> left the hold (queued for sending, or dropped with the session).</summary>
    public void Released(List<byte[]> list)
    {
        Frames -= list.Count;
        foreach (var frame in list)
        {
            Bytes -= frame.Length;
        }
    }

    public string Describe() => $"more than {maxFrames} frames or {maxBytes} bytes held while history was being queued";
}
