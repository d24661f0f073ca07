namespace LanTalk.Server.Logging;

/// <summary>
/// The stream a <see cref="WholeLineFileTarget"/> appends a log file through, so the file only ever holds whole lines.
/// On a full disk write() can store part of a line and then fail; NLog reopens the file and appends the next line
/// right after the fragment, and a reader sees one corrupt line. Here a failed write is cut back to the end of the
/// last complete line, and a file found (or left) ending mid-line gets a newline before anything else is written.
/// </summary>
/// <remarks>
/// Unbuffered on purpose: a buffered FileStream keeps the bytes of a failed flush and writes them again later at a
/// stale position. Lines end in the byte '\n', which never occurs inside a UTF-8 sequence.
/// </remarks>
public sealed class WholeLineFileStream : Stream
{
    private const byte NewLine = (byte)'\n';

    private readonly FileStream _file;

    // The file's length up to and including the last newline this stream knows of: where a failed write is cut back to.
    private long _wholeLinesEnd;

    // The file ends in a fragment that will never be completed (left by a crash, or a cut that failed too).
    private bool _endsMidLine;

    /// <summary>Opens (or creates) <paramref name="path"/> for appending.</summary>
    public WholeLineFileStream(string path)
    {
        // Read access is only for looking at the last byte; a file we may not read is appended to without that check.
        FileStream? file = null;
        try
        {
            file = new FileStream(path, Options(FileAccess.ReadWrite));
        }
        catch (UnauthorizedAccessException)
        {
            file = new FileStream(path, Options(FileAccess.Write));
        }

        _file = file;
        if (!_file.CanSeek)
        {
            // A pipe (fileName="/dev/stdout"): nothing to cut back or look at, so lines pass straight through.
            return;
        }

        long length = _file.Seek(0, SeekOrigin.End);
        _wholeLinesEnd = length;
        _endsMidLine = length > 0 && _file.CanRead && LastByte(length) != NewLine;
    }

    /// <summary>The mode a new log file is created with on Unix: owner-only, whatever the umask.</summary>
    /// <remarks>
    /// The log holds login names (people type passwords into the name field), addresses and failed logins. Created
    /// by the umask it was 0644 in a data directory made with mkdir, and 0666 (anyone could forge or truncate it)
    /// under umask 000, while Users.xml and history.db are 0600 (an ops audit, 2026-12-06). A file that exists keeps
    /// the mode the operator gave it (0640 for a log reader's group).
    /// </remarks>
    public const UnixFileMode CreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The file's path.</summary>
    public string Name => _file.Name;

    public override bool CanRead => false;

    public override bool CanSeek => _file.CanSeek;

    public override bool CanWrite => true;

    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_file.CanSeek)
        {
            _file.Write(buffer);
            return;
        }

        if (_endsMidLine)
        {
            // Ends the stranded fragment on its own line; the line written next starts fresh.
            _file.Write([NewLine]);
            _endsMidLine = false;
            _wholeLinesEnd = _file.Position;
        }

        long start = _file.Position;
        try
        {
            _file.Write(buffer);
        }
        catch (IOException)
        {
            CutBackToWholeLines();
            throw;
        }

        int lastNewLine = buffer.LastIndexOf(NewLine);
        if (lastNewLine >= 0)
        {
            _wholeLinesEnd = start + lastNewLine + 1;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => _file.Flush();

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value) => _file.SetLength(value);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("a log file is only appended to");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CutBackToWholeLines()
    {
        try
        {
            // Shrinking a file needs no free space, so this works on the full disk that made the write fail.
            _file.SetLength(_wholeLinesEnd);
            _file.Position = _wholeLinesEnd;
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ArgumentException)
        {
            // The fragment stays (or this is a device such as /dev/full that cannot be shortened): the next write
            // puts a newline first, so the fragment ends on a line of its own. The write's own error is the one
            // reported, so this one is dropped. The next line goes after the fragment, not over its start.
            _endsMidLine = true;
            AfterEnd();
        }
    }

    private void AfterEnd()
    {
        try
        {
            _file.Seek(0, SeekOrigin.End);
        }
        catch (IOException)
        {
            // Nothing better to do: the next write fails or lands where the failed one began.
        }
    }

    private static FileStreamOptions Options(FileAccess access)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = access,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = CreateMode;
        }

        return options;
    }

    private byte LastByte(long length)
    {
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(_file.SafeFileHandle, last, length - 1) == 1 ? last[0] : NewLine;
    }
}
