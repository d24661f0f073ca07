using LanTalk.Server.Hosting;

namespace LanTalk.Server.Tests.Unit;

/// <summary>The foreground server's Console.Out: writers never wait for a terminal, and what it drops is counted.</summary>
public sealed class QueuedConsoleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public void Writers_do_not_block_on_a_terminal_that_is_not_read_and_the_gap_is_counted()
    {
        using var terminal = new StalledTerminal();
        var queue = new QueuedConsole(terminal, capacity: 10);

        // Stands in for the login path: it logs while the terminal takes nothing. Before, it blocked in write(2).
        var logging = Task.Run(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                queue.WriteLine($"line {i}");
            }
        });
        logging.Wait(Timeout).Should().BeTrue("writing to the console must never wait for the terminal");
        queue.Dropped.Should().BeGreaterThan(400);

        terminal.Resume();
        queue.Drain(Timeout);

        var lines = terminal.Lines;
        lines[0].Should().Be("line 0");
        const string Notice = " console log line(s) dropped while the terminal was not reading";
        lines[^1].Should().EndWith(Notice, "the count comes where the gap is");
        // Usually one notice; two when the writer took its first line only after the queue had filled.
        var notices = lines.Where(l => l.EndsWith(Notice, StringComparison.Ordinal)).ToList();
        notices.Sum(l => long.Parse(l[..l.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).Should().Be(queue.Dropped);
        lines.Should().HaveCount(500 - (int)queue.Dropped + notices.Count, "every line is either written or counted");
    }

    [Test]
    public void Partial_writes_make_one_line_and_a_failing_terminal_does_not_stop_the_queue()
    {
        using var terminal = new StalledTerminal();
        terminal.Resume();
        terminal.FailNext = true;
        var queue = new QueuedConsole(terminal);

        queue.WriteLine("lost with the terminal");
        queue.Write("two ");
        queue.Write("halves\r\n");
        queue.Write("unfinished");
        queue.Drain(Timeout);

        terminal.Lines.Should().Equal("two halves", "unfinished");
    }

    /// <summary>A terminal whose writes wait until <see cref="Resume"/>, as a pty nobody reads does.</summary>
    private sealed class StalledTerminal : StringWriter
    {
        private readonly ManualResetEventSlim _reading = new();
        private readonly List<string> _lines = [];

        public bool FailNext { get; set; }

        public List<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Resume() => _reading.Set();

        public override void WriteLine(string? value)
        {
            _reading.Wait();
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("Input/output error");
            }

            lock (_lines)
            {
                _lines.Add(value ?? string.Empty);
            }
        }

        protected override void Dispose(bool disposing)
        {
            _reading.Set();
            base.Dispose(disposing);
        }
    }
}
