using System.Collections.Concurrent;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// Every user name this server's IRC sessions have tracked, numbered densely from 0 in the order first seen, so that
/// what each session keeps per name (<see cref="IrcNameSet"/>) can be a bit. Names are compared as user names are
/// (case-insensitively); a name keeps the spelling it was first seen with. Lock-free to read; adding takes a lock.
/// </summary>
/// <remarks>
/// Why: every IRC session keeps who is online and who is in each of its channels, as its client was told, so N IRC
/// users in one room keep N sets of N names. As hash sets of strings that was about 38 KB per set at 1,000 users:
/// 115 MB at the IRC crowd scenario's 1,000 clients, which every full collection marked (166 ms pauses once the chat
/// began). As bits, a set of 1,000 names is 128 bytes. Numbers are never reused: the index grows with the distinct
/// names the server has seen (its accounts, and names removed while it runs), not with the sessions.
/// </remarks>
internal sealed class IrcNameIndex
{
    private readonly ConcurrentDictionary<string, int> _ids = new(UserNames.Comparer);
    private readonly Lock _lock = new();

    // Names by number; replaced (never shrunk) under the lock, read without it. A number is published in _ids only
    // after its name is in the array that _names then refers to, so a reader holding a number finds its name.
    private string[] _names = new string[64];
    private int _count;

    /// <summary>The number of <paramref name="name"/>, given one now if it has none.</summary>
    public int IdOf(string name)
    {
        if (_ids.TryGetValue(name, out int id))
        {
            return id;
        }

        lock (_lock)
        {
            if (_ids.TryGetValue(name, out id))
            {
                return id;
            }

            id = _count;
            if (id == _names.Length)
            {
                var grown = new string[_names.Length * 2];
                Array.Copy(_names, grown, _names.Length);
                grown[id] = name;
                Volatile.Write(ref _names, grown);
            }
            else
            {
                _names[id] = name;
            }

            _count = id + 1;
            _ids[name] = id;
            return id;
        }
    }

    /// <summary>The number of <paramref name="name"/> if it has one; a lookup never adds a name.</summary>
    public bool TryGetId(string name, out int id) => _ids.TryGetValue(name, out id);

    /// <summary>The name numbered <paramref name="id"/>, as first seen.</summary>
    public string NameOf(int id) => Volatile.Read(ref _names)[id];
}
