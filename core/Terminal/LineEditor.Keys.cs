namespace LanTalk.Core.Terminal;

public sealed partial class LineEditor
{
    // A character outside the BMP (most emoji) arrives from ReadKey as two keys: the high surrogate waits here.
    private char _pendingHigh;

    /// <summary>Applies one key and redraws. Returns Submit with the line on Enter, Cleared when Ctrl+C dropped a draft, Quit on Ctrl+C or Ctrl+D on an empty line.</summary>
    /// <param name="key">The key.</param>
    /// <param name="moreInput">
    /// More keys are already waiting (a paste): typed characters are gathered and the redraw waits for the last key.
    /// Inserting and redrawing once per key made a paste cost the square of its length (16,000 characters: 15 s).
    /// </param>
    public EditorEvent HandleKey(ConsoleKeyInfo key, bool moreInput = false)
    {
        lock (_lock)
        {
            var result = Apply(key);
            if (!moreInput || result.Kind != EditorEventKind.None)
            {
                FlushPending();
                if (result.Kind != EditorEventKind.Quit)
                {
                    Redraw();
                }
            }

            return result;
        }
    }

    // Plain text: gathered in _pending; every other key works on the buffer, so the gathered text goes in first.
    private static bool IsText(ConsoleKeyInfo key) =>
        (key.Modifiers & (ConsoleModifiers.Control | ConsoleModifiers.Alt)) == 0
        && key.KeyChar != '\0'
        && !char.IsControl(key.KeyChar)
        && key.Key is not (ConsoleKey.Enter or ConsoleKey.Backspace or ConsoleKey.Delete or ConsoleKey.LeftArrow
            or ConsoleKey.RightArrow or ConsoleKey.UpArrow or ConsoleKey.DownArrow or ConsoleKey.Home or ConsoleKey.End
            or ConsoleKey.Tab or ConsoleKey.Escape);

    private EditorEvent Apply(ConsoleKeyInfo key)
    {
        if (!IsText(key))
        {
            FlushPending();
        }

        bool control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        bool alt = (key.Modifiers & ConsoleModifiers.Alt) != 0;
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Submit();
            case ConsoleKey.Backspace:
                DeleteBefore(alt || control ? WordStart(_cursor) : Previous(_cursor));
                return default;
            case ConsoleKey.Delete:
                DeleteAfter(Next(_cursor));
                return default;
            case ConsoleKey.LeftArrow:
                _cursor = control || alt ? WordStart(_cursor) : Previous(_cursor);
                return default;
            case ConsoleKey.RightArrow:
                _cursor = control || alt ? WordEnd(_cursor) : Next(_cursor);
                return default;
            case ConsoleKey.Home:
                _cursor = 0;
                return default;
            case ConsoleKey.End:
                _cursor = _buffer.Length;
                return default;
            case ConsoleKey.UpArrow:
                Recall(_history.Previous(_buffer));
                return default;
            case ConsoleKey.DownArrow:
                Recall(_history.Next());
                return default;
            case ConsoleKey.Tab:
                Complete();
                return default;
            case ConsoleKey.Escape:
                return default;
        }

        if (alt && key.Key == ConsoleKey.B)
        {
            _cursor = WordStart(_cursor);
            return default;
        }

        if (alt && key.Key == ConsoleKey.F)
        {
            _cursor = WordEnd(_cursor);
            return default;
        }

        return ApplyChar(key.KeyChar);
    }

    private EditorEvent ApplyChar(char c)
    {
        switch (c)
        {
            case '\r' or '\n':
                return Submit();
            case '\x03' when _buffer.Length > 0:
                // As in bash and irssi: Ctrl+C first throws the draft away; on an empty line it quits.
                _buffer = string.Empty;
                _cursor = 0;
                _scroll = 0;
                return new EditorEvent(EditorEventKind.Cleared);
            case '\x03':
                return new EditorEvent(EditorEventKind.Quit);
            case '\x04' when _buffer.Length == 0:
                return new EditorEvent(EditorEventKind.Quit);
            case '\x04':
                DeleteAfter(Next(_cursor));
                return default;
            case '\x01':
                _cursor = 0;
                return default;
            case '\x05':
                _cursor = _buffer.Length;
                return default;
            case '\x02':
                _cursor = Previous(_cursor);
                return default;
            case '\x06':
                _cursor = Next(_cursor);
                return default;
            case '\x10':
                Recall(_history.Previous(_buffer));
                return default;
            case '\x0e':
                Recall(_history.Next());
                return default;
            case '\x15':
                DeleteBefore(0);
                return default;
            case '\x0b':
                DeleteAfter(_buffer.Length);
                return default;
            case '\x17':
                DeleteBefore(WordStart(_cursor));
                return default;
            case '\b' or '\x7f':
                DeleteBefore(Previous(_cursor));
                return default;
            case '\t':
                Complete();
                return default;
            case '\x0c':
                // Ctrl+L: clear the screen; the input row is redrawn at the top.
                terminal.Write("\x1b[2J\x1b[H");
                return default;
        }

        if (char.IsHighSurrogate(c))
        {
            _pendingHigh = c;
            return default;
        }

        if (char.IsLowSurrogate(c))
        {
            if (_pendingHigh != '\0')
            {
                Gather(string.Concat(_pendingHigh, c));
            }

            _pendingHigh = '\0';
            return default;
        }

        _pendingHigh = '\0';
        if (!char.IsControl(c))
        {
            Gather(c.ToString());
        }

        return default;
    }

    private EditorEvent Submit()
    {
        string line = _buffer;
        if (_skipHistory)
        {
            _skipHistory = false;
        }
        else
        {
            _history.Add(line);
        }

        _buffer = string.Empty;
        _cursor = 0;
        _scroll = 0;
        return new EditorEvent(EditorEventKind.Submit, line);
    }

    private void Gather(string text)
    {
        if (_buffer.Length + _pending.Length + text.Length > MaxLength)
        {
            _refused = true;
            return;
        }

        _pending.Append(text);
    }

    /// <summary>Inserts the gathered text at the cursor in one go; rings the bell once if the line was full.</summary>
    private void FlushPending()
    {
        if (_pending.Length > 0)
        {
            Insert(_pending.ToString());
            _pending.Clear();
        }

        if (_refused)
        {
            _refused = false;
            terminal.Write("\a");
        }
    }

    private void Insert(string text)
    {
        _buffer = _buffer.Insert(_cursor, text);
        // A combining mark joins the character before it, so snap to the boundary at or after the insertion.
        int target = _cursor + text.Length;
        _cursor = target >= _buffer.Length ? _buffer.Length : BoundaryAtOrAfter(target);
    }

    private void DeleteBefore(int from)
    {
        _buffer = _buffer.Remove(from, _cursor - from);
        _cursor = from;
    }

    private void DeleteAfter(int to)
    {
        _buffer = _buffer.Remove(_cursor, to - _cursor);
    }

    private void Recall(string? line)
    {
        if (line is not null)
        {
            _buffer = line;
            _cursor = line.Length;
        }
    }

    private void Complete()
    {
        var result = Completer(_buffer, _cursor);
        _buffer = result.Buffer;
        _cursor = result.Cursor;
        if (result.Candidates.Count > 0)
        {
            terminal.Write("\r\x1b[K" + string.Join("  ", result.Candidates) + "\r\n");
        }
    }
}
