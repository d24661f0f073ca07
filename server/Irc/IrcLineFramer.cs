namespace LanTalk.Server.Irc;

/// <summary>
/// Splits received bytes into IRC lines. The buffer is fixed at <see cref="IrcLimits.MaxFramedBytes"/> plus the
/// line end, so a peer that never sends LF costs that much and no more: its line is reported once as too long and
/// the rest of it, up to the next LF, is thrown away unread.
/// </summary>
/// <remarks>Lines end with LF; a CR before it is removed, as every IRC server accepts bare-LF clients.</remarks>
internal sealed class IrcLineFramer
{
    private readonly byte[] _buffer = new byte[IrcLimits.MaxFramedBytes + 2];
    private int _start;
    private int _count;
    private int _scanned;
    private bool _discarding;

    /// <summary>Where the next read may put its bytes; never empty after <see cref="TryTake"/> returned NeedMore.</summary>
    public Memory<byte> FreeSpace
    {
        get
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
                _start = 0;
            }

            return _buffer.AsMemory(_count);
        }
    }

    /// <summary>Bytes buffered but not yet returned as a line.</summary>
    public int Buffered => _count;

    public void Advance(int bytes) => _count += bytes;

    /// <summary>The next line, if one is complete; the span is valid until the next call.</summary>
    public IrcFrameResult TryTake(out ReadOnlySpan<byte> line)
    {
        line = default;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _count);
            int lf = pending[_scanned..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                _scanned = _count;
                if (_count < _buffer.Length)
                {
                    return IrcFrameResult.NeedMore;
                }

                // Full and no LF: report once, then keep dropping until the line ends.
                bool first = !_discarding;
                _discarding = true;
                _start = 0;
                _count = 0;
                _scanned = 0;
                if (first)
                {
                    return IrcFrameResult.TooLong;
                }

                return IrcFrameResult.NeedMore;
            }

            lf += _scanned;
            var taken = pending[..lf];
            _start += lf + 1;
            _count -= lf + 1;
            _scanned = 0;
            if (_count == 0)
            {
                _start = 0;
            }

            if (_discarding)
            {
                _discarding = false;
                continue;
            }

            if (!taken.IsEmpty && taken[^1] == (byte)'\r')
            {
                taken = taken[..^1];
            }

            line = taken;
            return IrcFrameResult.Line;
        }
    }
}
