using System.Globalization;

namespace LanTalk.Client.Connection;

/// <summary>A server as the user names it: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or a bare IPv6 address.</summary>
internal sealed record ServerAddress(string Host, int Port)
{
    /// <summary>The port the 2008 server used; the new server keeps it so firewall rules keep working.</summary>
    public const int DefaultPort = 65534;

    /// <summary>Parses HOST[:PORT]; a missing port becomes <paramref name="defaultPort"/>.</summary>
    public static bool TryParse(string text, int defaultPort, out ServerAddress address, out string error)
    {
        address = new ServerAddress("localhost", defaultPort);
        error = string.Empty;
        text = text.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                error = $"'{text}' is not a valid address; write an IPv6 address as [::1]:65534";
                return false;
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            port = text[(colon + 1)..];
        }
        else
        {
            // No colon, or several: a plain host name or a bare IPv6 address without a port.
            host = text;
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            error = $"'{text}' does not name a host; expected HOST or HOST:PORT";
            return false;
        }

        int number = defaultPort;
        if (port is not null && !TryParsePort(port, out number))
        {
            error = $"port '{port}' in '{text}' must be a number from 1 to 65535";
            return false;
        }

        address = new ServerAddress(host, number);
        return true;
    }

    public static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    /// <summary>True when the user wrote a port, so it overrides the remembered one.</summary>
    public static bool HasExplicitPort(string text)
    {
        text = text.Trim();
        return text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
