using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Console.Out for the foreground server: whole lines go into a bounded queue, and one thread of their own writes
/// them to the terminal (or, while the operator console runs, above its input row). A terminal that stops being
/// read (Ctrl+S, a stalled SSH, a suspended terminal program) then blocks only that thread. Before, the thread that
/// logged blocked in write(2), with NLog's lock held, and after ~90 logins no one could log in. When the queue
/// is full, lines are dropped and counted, and the count is printed where the gap is once there is room again.
/// </summary>
internal sealed class QueuedConsole : TextWriter
{
    // 1000 lines: some seconds of a login storm's log lines wait for a terminal that is briefly slow, and a
    // stalled one costs at most about a megabyte (log lines run 100–1000 characters).
    public const int DefaultCapacity = 1000;

    private readonly BlockingCollection<string> _lines;
    private readonly StringBuilder _partial = new();
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private volatile TextWriter _sink;
    private TextWriter _original = TextWriter.Null;
    private long _unreported;
    private long _dropped;

    /// <param name="terminal">The real console, written to only by the queue's own thread.</param>
    public QueuedConsole(TextWriter terminal, int capacity = DefaultCapacity)
    {
        Terminal = terminal;
        _sink = terminal;
        _lines = new BlockingCollection<string>(capacity);
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "console output" };
        _thread.Start();
    }

    /// <summary>The console as it was before: what the line editor draws its input row on.</summary>
    public TextWriter Terminal { get; }

    /// <summary>Where the lines go: <see cref="Terminal"/>, or the operator console's editor while it runs.</summary>
    public TextWriter Sink
    {
        get => _sink;
        set => _sink = value;
    }

    /// <summary>Lines dropped since start because the terminal was not reading.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Puts a queue in front of Console.Out; <see cref="Drain"/> gives the console back.</summary>
    public static QueuedConsole Install()
    {
        var queue = new QueuedConsole(TextWriter.Synchronized(new StreamWriter(OpenTerminal(), new UTF8Encoding(false), 4096) { AutoFlush = true }))
        {
            _original = Console.Out,
        };
        Console.SetOut(queue);
        return queue;
    }

    // Not Console.OpenStandardOutput: on Unix every write through it takes lock(Console.Out), which is this queue,
    // so a write blocked on the terminal held up every thread that logs, exactly what the queue is for. (Found
    // with the fault script: the queue thread in write(2), the login threads all waiting on that monitor.) Not a
    // FileStream either: see StandardOutputStream.
    private static Stream OpenTerminal() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new StandardOutputStream();

    public override void Write(char value)
    {
        lock (_gate)
        {
            Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            foreach (char c in value ?? string.Empty)
            {
                Append(c);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            for (int i = index; i < index + count; i++)
            {
                Append(buffer[i]);
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the queued lines to be written, then points Console.Out back at
    /// the terminal. The wait is bounded: a terminal nobody reads must not keep a stopping server alive.
    /// </summary>
    public void Drain(TimeSpan timeout)
    {
        lock (_gate)
        {
            // The last lines may wait for room, within the same bound.
            if (_partial.Length > 0)
            {
                ReportDropped(timeout);
                _lines.TryAdd(_partial.ToString(), timeout);
                _partial.Clear();
            }

            ReportDropped(timeout);
            _lines.CompleteAdding();
        }

        // A terminal still not reading gets nothing more: the last lines (NLog's shutdown, say) would block the exit.
        Console.SetOut(_thread.Join(timeout) ? _original : TextWriter.Null);
    }

    private void Append(char c)
    {
        if (c == '\n')
        {
            Enqueue(_partial.ToString());
            _partial.Clear();
        }
        else if (c != '\r')
        {
            _partial.Append(c);
        }
    }

    // Called with _gate held, so the drop notice lands exactly where the gap is.
    private void Enqueue(string line)
    {
        if (_lines.IsAddingCompleted)
        {
            return;
        }

        ReportDropped();
        if (!_lines.TryAdd(line))
        {
            _unreported++;
            Interlocked.Increment(ref _dropped);
        }
    }

    private void ReportDropped(TimeSpan wait = default)
    {
        if (_unreported > 0 && _lines.TryAdd(string.Create(CultureInfo.InvariantCulture,
                $"{_unreported} console log line(s) dropped while the terminal was not reading"), wait))
        {
            _unreported = 0;
        }
    }

    private void WriteLoop()
    {
        foreach (string line in _lines.GetConsumingEnumerable())
        {
            try
            {
                var sink = _sink;
                sink.WriteLine(line);
                sink.Flush();
            }
            catch (IOException)
            {
                // The terminal went away (window closed, SSH dropped); SIGHUP stops the server. The log file has
                // every line.
            }
        }
    }
}
