namespace LanTalk.Harness.Load;

/// <summary>
/// HDR-style log-linear histogram of microseconds: 32 linear sub-buckets per power of two (about 3 % precision),
/// fixed memory whatever the sample count. Thread-safe: buckets are striped to keep two cores off one cache line.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 5;
    private const int SubBuckets = 1 << SubBits;
    private const int Octaves = 40;
    private const int Stripes = 4;
    private readonly long[][] _counts;
    private long _max;

    public LatencyHistogram()
    {
        _counts = new long[Stripes][];
        for (int i = 0; i < Stripes; i++)
        {
            _counts[i] = new long[(Octaves + 1) * SubBuckets];
        }
    }

    public void Record(long microseconds, int stripe)
    {
        if (microseconds < 0)
        {
            microseconds = 0;
        }

        Interlocked.Increment(ref _counts[stripe & (Stripes - 1)][Index(microseconds)]);
        long max = Volatile.Read(ref _max);
        while (microseconds > max)
        {
            long seen = Interlocked.CompareExchange(ref _max, microseconds, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public long Count
    {
        get
        {
            long total = 0;
            foreach (var stripe in _counts)
            {
                foreach (long c in stripe)
                {
                    total += c;
                }
            }

            return total;
        }
    }

    public long Max => Volatile.Read(ref _max);

    /// <summary>The value at or below which <paramref name="percentile"/> % of samples fall (bucket upper bound).</summary>
    public long Percentile(double percentile)
    {
        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(total * percentile / 100.0));
        long seen = 0;
        for (int i = 0; i < _counts[0].Length; i++)
        {
            for (int s = 0; s < Stripes; s++)
            {
                seen += _counts[s][i];
            }

            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        int octave = 63 - (int)long.LeadingZeroCount(value) - SubBits + 1;
        if (octave > Octaves)
        {
            return (Octaves + 1) * SubBuckets - 1;
        }

        int sub = (int)(value >> (octave - 1)) & (SubBuckets - 1);
        return (octave * SubBuckets) + sub;
    }

    private static long UpperBound(int index)
    {
        int octave = index >> SubBits;
        int sub = index & (SubBuckets - 1);
        if (octave == 0)
        {
            return sub;
        }

        long width = 1L << (octave - 1);
        return ((SubBuckets + (long)sub) * width) + width - 1;
    }
}
