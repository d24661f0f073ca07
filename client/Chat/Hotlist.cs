namespace LanTalk.Client.Chat;

/// <summary>
/// What arrived for you that you have not answered yet, as weechat's hotlist: private messages per sender and
/// mentions. Shown in the prompt, e.g. <c>[bob:2 carol:1 @3]</c>; cleared when you next send a line.
/// Thread-safe: the network adds while the keyboard clears.
/// </summary>
internal sealed class Hotlist
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _private = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = new();
    private int _mentions;

    public void AddPrivate(string from)
    {
        lock (_lock)
        {
            if (!_private.TryGetValue(from, out int count))
            {
                _order.Add(from);
            }

            _private[from] = count + 1;
        }
    }

    public void AddMention()
    {
        lock (_lock)
        {
            _mentions++;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _private.Clear();
            _order.Clear();
            _mentions = 0;
        }
    }

    /// <summary>Empty when nothing is waiting; else e.g. <c>[bob:2 @1]</c>, senders in the order they first wrote.</summary>
    public string Render()
    {
        lock (_lock)
        {
            var parts = _order.Select(name => $"{MessageFormatter.Visible(name)}:{_private[name]}").ToList();
            if (_mentions > 0)
            {
                parts.Add($"@{_mentions}");
            }

            return parts.Count == 0 ? string.Empty : $"[{string.Join(' ', parts)}]";
        }
    }
}
