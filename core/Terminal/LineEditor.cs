using System.Globalization;
using System.Text;

namespace LanTalk.Core.Terminal;

/// <summary>
/// A one-row line editor that keeps the input line at the bottom while other output scrolls above it.
/// <see cref="PrintAbove(string)"/> clears the input row ("\r\x1b[K"), prints, then redraws the prompt and the buffer and
/// puts the cursor back. Input longer than the row scrolls sideways instead of wrapping, because a wrapped input
/// spans rows that "\r\x1b[K" cannot clear. Cursor placement counts display columns, so CJK and emoji work.
/// Key handling is in LineEditor.Keys.cs. All methods are thread-safe: the network prints while the user types.
/// </summary>
public sealed partial class LineEditor(ITerminal terminal, string prompt)
{
    /// <summary>A paste beyond this is cut, with a bell; no chat message is this long and redraws stay cheap.</summary>
    public const int MaxLength = 16 * 1024;

    private readonly Lock _lock = new();
    private readonly InputHistory _history = new();
    private string _prompt = prompt;
    private string _buffer = string.Empty;

    // Characters of a paste not yet in _buffer: they go in at the cursor in one insert before anything reads the
    // buffer (see HandleKey's moreInput). _refused: some did not fit under MaxLength, so the bell rings once.
    private readonly StringBuilder _pending = new();
    private bool _refused;

    // UTF-16 indexes, always on grapheme boundaries: the cursor and the first visible character.
    private int _cursor;
    private int _scroll;
    private bool _active;

    // Where the last render left the cursor, and on how wide a terminal: a resize needs both (see Resized).
    private int _renderedColumn;
    private int _renderedWidth;

    /// <summary>What Tab does with the line and the cursor; each program brings its own (commands, user names).</summary>
    public Func<string, int, CompletionResult> Completer { get; set; } = CompletionResult.Unchanged;

    public string Buffer
    {
        get
        {
            lock (_lock)
            {
                FlushPending();
                return _buffer;
            }
        }
    }

    /// <summary>The cursor as a UTF-16 index into <see cref="Buffer"/>.</summary>
    public int Cursor
    {
        get
        {
            lock (_lock)
            {
                FlushPending();
                return _cursor;
            }
        }
    }

    /// <summary>
    /// Given the columns the prompt may use (<see cref="PromptBudget"/>), a shorter form of the prompt, for a
    /// prompt that is wider. Null, or a form still too wide: the prompt is cut with '…' before its "> ".
    /// </summary>
    public Func<int, string>? FitPrompt { get; set; }

    /// <summary>
    /// The columns the prompt may take on a row of <paramref name="width"/>: the rest, at least half the row and
    /// never under 10 columns, is for the text, so that typing stays visible in a narrow window (at 20 columns a
    /// prompt such as "bob #a-rather-long-room-name> " would leave none).
    /// </summary>
    public static int PromptBudget(int width) => width <= 0 ? int.MaxValue : Math.Max(2, width - Math.Max(10, (width + 1) / 2));

    private string ShownPrompt()
    {
        int budget = PromptBudget(terminal.Width);
        if (DisplayWidth.Of(_prompt) <= budget)
        {
            return _prompt;
        }

        string fitted = FitPrompt?.Invoke(budget) ?? _prompt;
        if (DisplayWidth.Of(fitted) <= budget)
        {
            return fitted;
        }

        string end = fitted.EndsWith("> ", StringComparison.Ordinal) ? "> " : string.Empty;
        return DisplayWidth.Truncate(fitted[..^end.Length], budget - end.Length) + end;
    }

    private bool _skipHistory;

    /// <summary>
    /// The next submitted line is an answer to a question (such as "send this paste? y/n"), not something to
    /// recall with Up, so it stays out of the input history.
    /// </summary>
    public void KeepNextLineOutOfHistory()
    {
        lock (_lock)
        {
            _skipHistory = true;
        }
    }

    public string Prompt
    {
        get
        {
            lock (_lock)
            {
                return _prompt;
            }
        }

        set
        {
            lock (_lock)
            {
                _prompt = value;
                Redraw();
            }
        }
    }

    /// <summary>Draws the prompt; from now on output goes above the input row.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _active = true;
            Redraw();
        }
    }

    /// <summary>Clears the input row for good; later output is printed plainly.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            StopLocked();
        }
    }

    /// <summary>
    /// As <see cref="Stop"/>, but gives up after <paramref name="wait"/> when another thread holds the editor in
    /// a write to a terminal that nobody reads; a stopping server must not wait on its terminal.
    /// </summary>
    public bool TryStop(TimeSpan wait)
    {
        if (!_lock.TryEnter(wait))
        {
            return false;
        }

        try
        {
            StopLocked();
            return true;
        }
        finally
        {
            _lock.Exit();
        }
    }

    private void StopLocked()
    {
        if (_active)
        {
            _active = false;
            terminal.Write("\r\x1b[K");
        }
    }

    /// <summary>Rings the terminal bell.</summary>
    public void Bell()
    {
        lock (_lock)
        {
            terminal.Write("\a");
        }
    }

    /// <summary>Prints a line (or several, separated by \n) above the input row and redraws the input.</summary>
    public void PrintAbove(string text) => Print(text.Replace("\r\n", "\n", StringComparison.Ordinal));

    /// <summary>
    /// <see cref="PrintAbove(string)"/>, with rows wider than the terminal broken at spaces and continued
    /// <paramref name="wrapIndent"/> columns in (<see cref="WordWrap"/>): chat text reads as words, not cut at the edge.
    /// </summary>
    public void PrintAbove(string text, int wrapIndent) =>
        Print(WordWrap.Wrap(text.Replace("\r\n", "\n", StringComparison.Ordinal), terminal.Width, wrapIndent));

    private void Print(string text)
    {
        string lines = text.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n";
        lock (_lock)
        {
            terminal.Write(_active ? "\r\x1b[K" + lines + Render() : lines);
        }
    }

    /// <summary>
    /// The window changed size. A terminal that got narrower reflows the input row onto several rows, with the
    /// cursor on the row holding its old column; "\r\x1b[K" would clear only that row and leave the start of
    /// the input behind as a ghost. So go up to the row where the input starts, clear to the end of the screen,
    /// and draw it again at the new width.
    /// </summary>
    public void Resized()
    {
        lock (_lock)
        {
            if (!_active)
            {
                return;
            }

            int width = terminal.Width;
            int up = width > 0 && width < _renderedWidth ? _renderedColumn / width : 0;
            terminal.Write((up > 0 ? $"\x1b[{up}A" : string.Empty) + "\r\x1b[J" + Render());
        }
    }

    private void Redraw()
    {
        if (_active)
        {
            terminal.Write(Render());
        }
    }

    /// <summary>The escape sequence that repaints the input row and places the cursor; adjusts the side scroll.</summary>
    private string Render()
    {
        FlushPending();
        var elements = Graphemes(_buffer);
        string prompt = ShownPrompt();
        int promptWidth = DisplayWidth.Of(prompt);
        // The last column stays free: writing into it makes some terminals wrap early.
        int available = Math.Max(1, terminal.Width - promptWidth - 1);
        int cursorIndex = IndexAt(elements, _cursor);
        int scrollIndex = Math.Min(IndexAt(elements, _scroll), cursorIndex);
        int cursorCell = cursorIndex < elements.Count ? Math.Max(1, elements[cursorIndex].Width) : 1;
        // Running sums, not a sum per step: a cursor far from the scroll (End on a long line, a paste) made it square.
        int before = Columns(elements, scrollIndex, cursorIndex);
        while (scrollIndex < cursorIndex && before + cursorCell > available)
        {
            before -= elements[scrollIndex].Width;
            scrollIndex++;
        }

        // Scroll back when the text got shorter, so the row is used fully again.
        int tail = before + Columns(elements, cursorIndex, elements.Count);
        while (scrollIndex > 0 && tail + elements[scrollIndex - 1].Width + 1 <= available)
        {
            scrollIndex--;
            tail += elements[scrollIndex].Width;
        }

        _scroll = scrollIndex < elements.Count ? elements[scrollIndex].Start : _buffer.Length;
        var output = new StringBuilder("\r").Append(prompt);
        int used = 0;
        for (int i = scrollIndex; i < elements.Count && used + elements[i].Width <= available; i++)
        {
            output.Append(_buffer, elements[i].Start, elements[i].Length);
            used += elements[i].Width;
        }

        int column = promptWidth + Columns(elements, scrollIndex, cursorIndex);
        _renderedColumn = column;
        _renderedWidth = terminal.Width;
        output.Append("\x1b[K\r");
        if (column > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"\x1b[{column}C");
        }

        return output.ToString();
    }

    private static int Columns(List<Grapheme> elements, int from, int to)
    {
        int width = 0;
        for (int i = from; i < to; i++)
        {
            width += elements[i].Width;
        }

        return width;
    }

    /// <summary>The element that starts at a UTF-16 index; the count when the index is the end.</summary>
    private static int IndexAt(List<Grapheme> elements, int position)
    {
        for (int i = 0; i < elements.Count; i++)
        {
            if (elements[i].Start >= position)
            {
                return i;
            }
        }

        return elements.Count;
    }

    private static List<Grapheme> Graphemes(string text)
    {
        var elements = new List<Grapheme>();
        int index = 0;
        while (index < text.Length)
        {
            int length = StringInfo.GetNextTextElementLength(text, index);
            elements.Add(new Grapheme(index, length, DisplayWidth.OfElement(text.AsSpan(index, length))));
            index += length;
        }

        return elements;
    }

    private readonly record struct Grapheme(int Start, int Length, int Width);
}
