using System.Text;

namespace LanTalk.Core.Discovery;

/// <summary>
/// Names are dotted strings. A label may itself hold a dot (a service instance name such as "Chat v2.1"), so a
/// dot or backslash inside a label is escaped with a backslash, as avahi and dns-sd print them.
/// </summary>
public static class DnsName
{
    public static string Join(IEnumerable<string> labels) => string.Join('.', labels.Select(Escape));

    public static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal);

    /// <summary>Splits at unescaped dots; an empty name or the root "." has no labels.</summary>
    public static List<string> Split(string name)
    {
        var labels = new List<string>();
        var label = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '\\' && i + 1 < name.Length)
            {
                label.Append(name[++i]);
            }
            else if (c == '.')
            {
                labels.Add(label.ToString());
                label.Clear();
            }
            else
            {
                label.Append(c);
            }
        }

        if (label.Length > 0)
        {
            labels.Add(label.ToString());
        }

        return labels;
    }

    /// <summary>DNS compares names ignoring ASCII case (RFC 4343); mDNS does too (RFC 6762 §16).</summary>
    public static bool Same(string? a, string? b) => string.Equals(a?.TrimEnd('.'), b?.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The first label unescaped: the instance part of "My Chat._lantalk._tcp.local".</summary>
    public static string FirstLabel(string name) => Split(name) is { Count: > 0 } labels ? labels[0] : string.Empty;
}
