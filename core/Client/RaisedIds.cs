namespace LanTalk.Core.Client;

/// <summary>The newest message ids raised in one room, in a fixed ring: a search over a few KiB, no allocation per message.</summary>
internal sealed class RaisedIds(int capacity)
{
    private readonly ulong[] _ids = new ulong[capacity];
    private int _next;
    private int _count;

    public bool Contains(ulong id) => _ids.AsSpan(0, _count).Contains(id);

    public void Add(ulong id)
    {
        _ids[_next] = id;
        _next = (_next + 1) % _ids.Length;
        _count = Math.Min(_count + 1, _ids.Length);
    }
}
