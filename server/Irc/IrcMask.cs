namespace LanTalk.Server.Irc;

/// <summary>IRC wildcard masks ('*' any run, '?' one character), compared case-insensitively as nicks are.</summary>
internal static class IrcMask
{
    public static bool Matches(string mask, string value) => Match(mask.AsSpan(), value.AsSpan());

    // Iterative with one backtrack point: linear in practice, and no recursion a hostile mask could deepen.
    private static bool Match(ReadOnlySpan<char> mask, ReadOnlySpan<char> value)
    {
        int m = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (m < mask.Length && (mask[m] == '?' || char.ToUpperInvariant(mask[m]) == char.ToUpperInvariant(value[v])))
            {
                m++;
                v++;
            }
            else if (m < mask.Length && mask[m] == '*')
            {
                star = m++;
                mark = v;
            }
            else if (star >= 0)
            {
                m = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (m < mask.Length && mask[m] == '*')
        {
            m++;
        }

        return m == mask.Length;
    }
}
