using System.Text;
using System.Text.Json;
using LanTalk.Core.Discovery;

namespace LanTalk.Client.Discovery;

/// <summary>
/// How found servers are shown: a numbered table for people, JSON for scripts. Every name in an announcement
/// (instance, SRV host) comes from whoever sends a multicast packet, so it is shown through <see cref="Shown"/>.
/// </summary>
internal static class ServerList
{
    /// <summary>
    /// Announced text as the terminal may show it: control characters visible (ESC as ␛), not acted on. An instance
    /// name with an OSC or CSI sequence retitled the window and cleared the screen of anyone who ran `lantalk` with
    /// no server remembered (a security audit, 2026-12-06); `lantalk doctor` already showed it this way.
    /// </summary>
    public static string Shown(string announced) => Chat.MessageFormatter.Visible(announced);

    /// <summary>One line per server: number, name, what to type, host name, TLS.</summary>
    public static string Table(IReadOnlyList<DiscoveredServer> servers)
    {
        var text = new StringBuilder();
        for (int i = 0; i < servers.Count; i++)
        {
            var s = servers[i];
            string tls = s.Tls switch { true => "TLS", false => "plaintext", null => "TLS unknown" };
            string conflict = s.Conflict ? "  [CONFLICT: another host answers for this name]" : string.Empty;
            text.AppendLine($"  {i + 1}. {Shown(s.Instance)}  ->  lantalk {Address(s)}   ({Shown(s.HostName)}, {tls}){conflict}");
        }

        return text.ToString();
    }

    /// <summary>
    /// The warning for instance names that more than one host answered for with different records, or null when none
    /// did. Each answer is listed whole; which one is the real server only its operator can say (by its fingerprint).
    /// </summary>
    public static string? ConflictWarning(IReadOnlyList<DiscoveredServer> servers)
    {
        var names = servers.Where(s => s.Conflict).Select(s => Shown(s.Instance)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return names.Count == 0 ? null :
            $"WARNING: more than one host answers for {string.Join(", ", names.Select(n => $"\"{n}\""))} with different addresses or\n" +
            "fingerprints (marked CONFLICT). Anyone on the LAN can answer for any name: someone may be impersonating the server,\n" +
            "or two servers use one name. Each answer is listed as it came; ask the operator which address and fingerprint are right.";
    }

    /// <summary>
    /// What a user types to reach <paramref name="server"/>: the address, and the port when not the default. Without
    /// an address it is the announced host name, made <see cref="Shown"/>: this text is printed, and becomes the
    /// server lantalk connects to, names in its messages and remembers.
    /// </summary>
    public static string Address(DiscoveredServer server)
    {
        string connect = Shown(server.ConnectHost);
        string host = connect.Contains(':', StringComparison.Ordinal) ? $"[{connect}]" : connect;
        return server.Port == Connection.ServerAddress.DefaultPort ? host : $"{host}:{server.Port}";
    }

    /// <summary>
    /// What lantalk connects to and remembers for a server it found: the announced NAME.local when the server has an
    /// address other than link-local (the client's own multicast DNS lookup asks for A and AAAA, and tries every
    /// address it gets), else <see cref="Address"/>; and the address
    /// too when the entry is a <see cref="DiscoveredServer.Conflict"/>. A name that
    /// is not a plain host name (letters, digits, '-', '_', dots) keeps the address: it would be printed in every
    /// message about the server (the trust question, errors, the banner) and saved in Settings.xml.
    /// </summary>
    public static string Remembered(DiscoveredServer server)
    {
        string name = server.HostName.TrimEnd('.');
        // A name another host also answers for would resolve to either host: the address found is what was picked.
        bool byName = !server.Conflict && name.EndsWith(".local", StringComparison.OrdinalIgnoreCase)
            && name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.')
            && server.Addresses.Any(a => !a.IsIPv6LinkLocal);
        return !byName ? Address(server)
            : server.Port == Connection.ServerAddress.DefaultPort ? name : $"{name}:{server.Port}";
    }

    /// <summary>The JSON written by Utf8JsonWriter by hand: no reflection-based serializer (Native AOT).</summary>
    public static string Json(BrowseResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("answers", result.AnswersReceived);
            json.WriteStartArray("interfaces");
            foreach (string name in result.Interfaces)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteStartArray("servers");
            foreach (var s in result.Servers)
            {
                json.WriteStartObject();
                json.WriteString("name", s.Instance);
                json.WriteString("host", s.HostName);
                json.WriteNumber("port", s.Port);
                json.WriteString("connect", Address(s));
                json.WriteStartArray("addresses");
                foreach (var address in s.Addresses)
                {
                    json.WriteStringValue(address.ToString());
                }

                json.WriteEndArray();
                if (s.ProtocolVersion is { } version)
                {
                    json.WriteNumber("protocol", version);
                }
                else
                {
                    json.WriteNull("protocol");
                }

                if (s.Tls is { } tls)
                {
                    json.WriteBoolean("tls", tls);
                }
                else
                {
                    json.WriteNull("tls");
                }

                json.WriteString("fingerprint", s.Fingerprint);
                json.WriteBoolean("pinOnFirstUse", s.PinOnFirstUse);
                json.WriteBoolean("conflict", s.Conflict);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Why nothing was found, and how to connect anyway.</summary>
    public static string NoneFound(BrowseResult result, TimeSpan waited) =>
        (result.HostCannotBrowse
            ? $"lantalk cannot look for servers on the LAN from this host: {result.Problem}.\n"
            : $"No LanTalk server answered on the LAN within {waited.TotalSeconds:0.#} s" +
              (result.Problem is null ? "." : $" ({result.Problem}).") + "\n" +
              "The server may be on another subnet (routers do not pass these announcements on), a firewall may\n" +
              "block multicast DNS (UDP port 5353), or the server runs with <Discovery>Off.\n") +
        "Give the address instead, as the server prints it at start (\"Clients can connect to: ...\"):\n" +
        "  lantalk HOST[:PORT] --user NAME\n" +
        "and 'lantalk doctor HOST' checks the connection step by step.";
}
