namespace LanTalk.Server.History;

/// <summary>
/// How much of a session's outbound queue one answer of the store may fill at once: a quarter of its frames and of
/// its bytes (OutboundQueueFrames, OutboundQueueBytes), leaving the rest for live traffic queued meanwhile. An answer
/// queued whole could not fit a queue smaller than itself (a 500-message offline batch of 17 KB messages against
/// the 8 MiB default, or a History page of 200 large messages against a small queue), and the session, however
/// fast it read, was cut off as a slow consumer, again at every login (a spec audit, 2026-12-05).
/// </summary>
internal readonly record struct QueueShare(int Frames, long Bytes)
{
    public static QueueShare Of(Settings.ServerSettings settings) =>
        new(Math.Max(1, settings.OutboundQueueFrames / 4), Math.Max(1, settings.OutboundQueueBytes / 4));

    /// <summary>Whether one more frame of <paramref name="length"/> bytes fits after <paramref name="taken"/> frames of <paramref name="bytes"/>; the first always does.</summary>
    public bool Admits(int taken, long bytes, int length) => taken == 0 || (taken < Frames && bytes + length <= Bytes);

    /// <summary>
    /// The frames of <paramref name="page"/> that fit, and the page cut to them: a page read backwards (the newest
    /// below a bound) keeps its newest messages, a page read forwards its oldest; Remaining then also counts the ones
    /// cut, so a client pages on from the page's FirstId or LastId as usual. At least one message is always kept.
    /// </summary>
    public (List<byte[]> Frames, HistoryPage Page) Fit(HistoryPage page, Func<StoredMessage, byte[]> frame, bool forward)
    {
        var frames = new List<byte[]>(page.Messages.Count);
        long bytes = 0;
        int count = page.Messages.Count;
        for (int k = 0; k < count; k++)
        {
            var message = page.Messages[forward ? k : count - 1 - k];
            byte[] bytesOf = frame(message);
            if (!Admits(k, bytes, bytesOf.Length))
            {
                break;
            }

            frames.Add(bytesOf);
            bytes += bytesOf.Length;
        }

        if (!forward)
        {
            // Taken from the newest end; sent oldest first, as every page is.
            frames.Reverse();
        }

        int cut = count - frames.Count;
        if (cut == 0)
        {
            return (frames, page);
        }

        return forward
            ? (frames, new HistoryPage(page.Messages.Take(frames.Count).ToList(), page.Remaining + cut))
            : (frames, new HistoryPage(page.Messages.Skip(cut).ToList(), page.Remaining + cut));
    }
}
