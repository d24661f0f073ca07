using System.Text;
using System.Threading.Channels;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Archive;

/// <summary>
/// Appends messages to the day files on a background task. <see cref="Append"/> never blocks the caller (the UI or
/// the connection's read loop): it only queues. Dispose drains the queue, so a normal exit loses no line.
/// </summary>
internal sealed class ArchiveWriter : IAsyncDisposable
{
    // Unbounded on purpose: a chat produces a few lines per second, and dropping an archive line is worse than
    // holding a few kilobytes while the disk is slow.
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly Action<string>? _onError;
    private StreamWriter? _file;
    private string? _fileName;
    private bool _failed;

    private readonly ArchivedRanges _archived;

    public ArchiveWriter(string folder, Action<string>? onError = null)
    {
        Folder = folder;
        _onError = onError;
        _archived = ArchivedRanges.Load(folder);
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Folder { get; }

    /// <summary>
    /// Queues a message for its day file. Replayed history (flag History) whose id is already archived, in this
    /// run or an earlier one, is skipped: history received from the server is archived once. Live messages are
    /// always written (the chat drops live duplicates before they get here). Returns false when it was skipped.
    /// </summary>
    public bool Append(ChatMessage message)
    {
        if (message.Id != 0)
        {
            string key = ArchivedRanges.KeyOf(message.Room, message.To is null ? null : Pair(message.From, message.To));
            bool replay = (message.Flags & MessageMarks.History) != 0;
            if (_archived.ContainsOrAdd(key, message.Id) && replay)
            {
                return false;
            }
        }

        _queue.Writer.TryWrite(new Entry(ArchiveFormat.DayFileName(message.ServerTime), ArchiveFormat.Line(message), null));
        return true;
    }

    // A private conversation has the same key whichever side sent the message.
    private static string Pair(string from, string to) =>
        string.Compare(from, to, StringComparison.OrdinalIgnoreCase) <= 0 ? $"{from}+{to}" : $"{to}+{from}";

    /// <summary>Completes once every line queued before the call is on disk; /archive uses it to show the latest lines.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Entry(null, null, done)))
        {
            done.TrySetResult();
        }

        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Drain everything queued, then flush once.
            var flushed = new List<TaskCompletionSource>();
            while (reader.TryRead(out var entry))
            {
                if (entry.Done is not null)
                {
                    flushed.Add(entry.Done);
                }
                else
                {
                    Write(entry.FileName!, entry.Line!);
                }
            }

            try
            {
                _file?.Flush();
                if (!_failed && _file is not null)
                {
                    _archived.Save();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fail(ex.Message);
            }

            foreach (var done in flushed)
            {
                done.TrySetResult();
            }
        }

        _file?.Dispose();
    }

    private void Write(string fileName, string line)
    {
        if (_failed)
        {
            return;
        }

        try
        {
            if (_fileName != fileName)
            {
                _file?.Dispose();
                Directory.CreateDirectory(Folder);
                var stream = new FileStream(Path.Combine(Folder, fileName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                _file = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
                _fileName = fileName;
            }

            _file!.WriteLine(line);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(ex.Message);
        }
    }

    // Report once and stop trying: a full disk must not flood the chat with the same error.
    private void Fail(string message)
    {
        if (!_failed)
        {
            _failed = true;
            _onError?.Invoke($"archive disabled: cannot write to {Folder}: {message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private readonly record struct Entry(string? FileName, string? Line, TaskCompletionSource? Done);
}
