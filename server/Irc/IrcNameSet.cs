using System.Numerics;

namespace LanTalk.Server.Irc;

/// <summary>
/// A set of user names as one bit per name of an <see cref="IrcNameIndex"/>: what an IRC session keeps of who is
/// online and who is in a channel. The set API of the hash set it replaced; not thread-safe (the session's delivery
/// lock guards it). It costs the highest number it holds / 8 bytes: 128 bytes for any names among 1,000.
/// </summary>
internal sealed class IrcNameSet(IrcNameIndex index)
{
    private ulong[] _bits = [];

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="name"/>; false if it was in the set.</summary>
    public bool Add(string name)
    {
        int id = index.IdOf(name);
        int word = id >> 6;
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        }

        ulong bit = 1UL << (id & 63);
        if ((_bits[word] & bit) != 0)
        {
            return false;
        }

        _bits[word] |= bit;
        Count++;
        return true;
    }

    /// <summary>Removes <paramref name="name"/>; false if it was not in the set.</summary>
    public bool Remove(string name)
    {
        if (!index.TryGetId(name, out int id) || !Has(id))
        {
            return false;
        }

        _bits[id >> 6] &= ~(1UL << (id & 63));
        Count--;
        return true;
    }

    public bool Contains(string name) => index.TryGetId(name, out int id) && Has(id);

    /// <summary>Whether <paramref name="name"/> is in the set, and then its spelling as the server first saw it.</summary>
    public bool TryGetValue(string name, out string stored)
    {
        if (index.TryGetId(name, out int id) && Has(id))
        {
            stored = index.NameOf(id);
            return true;
        }

        stored = name;
        return false;
    }

    public void UnionWith(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            Add(name);
        }
    }

    public void Clear()
    {
        Array.Clear(_bits);
        Count = 0;
    }

    /// <summary>The names in the set, in the order the index numbered them.</summary>
    public string[] ToArray()
    {
        var names = new string[Count];
        int n = 0;
        for (int word = 0; word < _bits.Length; word++)
        {
            for (ulong bits = _bits[word]; bits != 0; bits &= bits - 1)
            {
                names[n++] = index.NameOf((word << 6) + BitOperations.TrailingZeroCount(bits));
            }
        }

        return names;
    }

    private bool Has(int id)
    {
        int word = id >> 6;
        return word < _bits.Length && (_bits[word] & (1UL << (id & 63))) != 0;
    }
}
