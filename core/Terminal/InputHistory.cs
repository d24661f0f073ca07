namespace LanTalk.Core.Terminal;

/// <summary>Up/Down history of submitted lines. The line being typed is kept as a draft while browsing.</summary>
public sealed class InputHistory(int capacity = 500)
{
    private readonly List<string> _lines = new();
    private int _position;
    private string _draft = string.Empty;

    public int Count => _lines.Count;

    public void Add(string line)
    {
        // Repeating the last line does not add a copy: Up once finds it either way.
        if (line.Trim().Length > 0 && (_lines.Count == 0 || _lines[^1] != line))
        {
            _lines.Add(line);
            if (_lines.Count > capacity)
            {
                _lines.RemoveAt(0);
            }
        }

        _position = _lines.Count;
        _draft = string.Empty;
    }

    /// <summary>The older line, or null at the oldest. <paramref name="current"/> is saved when leaving the draft.</summary>
    public string? Previous(string current)
    {
        if (_position == 0)
        {
            return null;
        }

        if (_position == _lines.Count)
        {
            _draft = current;
        }

        return _lines[--_position];
    }

    /// <summary>The newer line, the saved draft after the newest, or null when already on the draft.</summary>
    public string? Next()
    {
        if (_position >= _lines.Count)
        {
            return null;
        }

        _position++;
        return _position == _lines.Count ? _draft : _lines[_position];
    }
}
