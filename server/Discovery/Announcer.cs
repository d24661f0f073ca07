using System.Net;
using System.Text;
using LanTalk.Core.Discovery;
using LanTalk.Server.Settings;
using NLog;

namespace LanTalk.Server.Discovery;

/// <summary>Start-up glue: prints where clients can connect, and starts the mDNS responder when Discovery is On.</summary>
internal static class Announcer
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Discovery");

    public static MdnsResponder? Start(ServerSettings settings, int port, string? fingerprint, string dataDirectory)
    {
        string hostLabel = Label(Environment.MachineName.Split('.')[0], "lantalk-server");
        MdnsResponder? responder = null;
        if (settings.Discovery == DiscoveryMode.On && IPAddress.IsLoopback(settings.ListenAddress))
        {
            // Nobody on the LAN can reach a loopback listener, so announcing it would only mislead (and tests
            // that start the server on 127.0.0.1 must not send anything onto the real network).
            s_log.Info("Discovery: not announced, because the server listens on {Address} (this machine only)", settings.ListenAddress);
        }
        else if (settings.Discovery == DiscoveryMode.On)
        {
            string instance = Label(settings.DiscoveryName.Length > 0 ? settings.DiscoveryName : hostLabel, "LanTalk");
            var txt = LanTalkService.TxtFor(settings.TlsMode == TlsMode.Required, fingerprint, settings.DiscoveryPinOnFirstUse);
            var configured = new ServiceRecords(instance, hostLabel, port, txt) { Listen = settings.ListenAddress };
            // Names won after a conflict at an earlier start are probed first (WonNames).
            var records = WonNames.Apply(configured, dataDirectory);
            hostLabel = records.HostLabel;
            responder = MdnsResponder.Start(records, (won, waited) =>
            {
                WonNames.Save(configured, won, dataDirectory);
                foreach (string line in AfterProbing(records, won, settings.ListenAddress, port, startLinesNamedHost: !waited))
                {
                    // After a wait for an interface the lines are news, not a warning (unless the host was renamed).
                    s_log.Log(waited && string.Equals(records.HostName, won.HostName, StringComparison.OrdinalIgnoreCase) ? LogLevel.Info : LogLevel.Warn, "{Line}", line);
                }
            });
        }
        else
        {
            s_log.Info("Discovery is Off: the server is not announced on the LAN; clients need its address");
        }

        PrintConnectLines(settings.ListenAddress, port, responder is null || responder.WaitingForInterface ? null : $"{hostLabel}.local");
        if (responder is not null)
        {
            // The lines printed at start name the old address once the machine gets a new one: print them again.
            // With no interface left to carry the announcement, HOST.local no longer resolves: the lines leave it out.
            responder.AddressesChanged += () => PrintConnectLines(settings.ListenAddress, port, responder.Serving ? responder.Records.HostName : null);
        }

        return responder;
    }

    private static void PrintConnectLines(IPAddress listen, int port, string? mdnsHost)
    {
        foreach (string line in ConnectAddresses.Lines(listen, port, mdnsHost))
        {
            s_log.Info("{Line}", line);
        }
    }

    /// <summary>
    /// What to tell the operator once probing is over: nothing when the names printed at start were won, else the new
    /// host name and the "Clients can connect to" lines again with it. The start-up line named HOST.local, which after
    /// a conflict is the OTHER machine, and users who followed it reached the wrong server (an outside discovery
    /// audit, 2026-12-06). When the start-up lines named no HOST.local (no interface could carry mDNS then, see
    /// <see cref="MdnsResponder.WaitingForInterface"/>), the lines with the name announced now.
    /// </summary>
    internal static IReadOnlyList<string> AfterProbing(ServiceRecords started, ServiceRecords won, IPAddress listen, int port, bool startLinesNamedHost = true)
    {
        if (!startLinesNamedHost)
        {
            return
            [
                $"Discovery: the server is announced on the LAN now, as \"{won.Instance}\" on {won.HostName}. Clients can connect to:",
                .. ConnectAddresses.Lines(listen, port, won.HostName),
            ];
        }

        if (string.Equals(started.HostName, won.HostName, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        return
        [
            $"Discovery: another machine on the LAN is {started.HostName}, so this server is {won.HostName} (\"{won.Instance}\"); " +
            $"{started.HostName} does not reach it. Clients can connect to:",
            .. ConnectAddresses.Lines(listen, port, won.HostName),
        ];
    }

    /// <summary>A DNS label is at most 63 UTF-8 bytes: cut at a character boundary, never mid-character.</summary>
    internal static string Label(string name, string fallback)
    {
        name = name.Trim();
        if (name.Length == 0)
        {
            return fallback;
        }

        var builder = new StringBuilder();
        int bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > DnsLimits.MaxLabelBytes)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
