using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Discovery;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Security;

namespace LanTalk.Client.Doctor;

/// <summary>The doctor's individual checks. Each returns a <see cref="DoctorStep"/> and never throws for a network failure.</summary>
internal static class DoctorChecks
{
    /// <summary>Long enough for a slow LAN, short enough that a dropped SYN is reported in seconds, not minutes.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The addresses <paramref name="host"/> has, IPv4 first, each of which the connect step tries in turn: lantalk tries
    /// every address a name has, so a doctor that checked only the first reported a server unreachable that lantalk
    /// reached through the second (an outside audit, 2026-12-06: a host announcing an address on another subnet).
    /// </summary>
    public static async Task<(DoctorStep Step, IReadOnlyList<IPAddress> Addresses)> ResolveAsync(string host)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return (new DoctorStep("name", StepStatus.Pass, $"{host} is an address; nothing to resolve"), [literal]);
        }

        if (host.EndsWith(".local", StringComparison.OrdinalIgnoreCase))
        {
            var found = await MdnsBrowser.ResolveHostAsync(host, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            if (found.Count > 0)
            {
                var ordered = Ordered(found);
                return (new DoctorStep("name", StepStatus.Pass, $"{host} is {List(ordered)} (multicast DNS)"), ordered);
            }

            // Some networks (Active Directory) serve .local from their DNS servers instead.
            if (await TryDnsAsync(host).ConfigureAwait(false) is { Count: > 0 } viaDns)
            {
                return (new DoctorStep("name", StepStatus.Pass, $"{host} is {List(viaDns)} (DNS; no multicast DNS answer)"), viaDns);
            }

            return (new DoctorStep("name", StepStatus.Fail, $"no host on the LAN answered for {host} over multicast DNS within 2 s",
                "Check the name (the server prints it at start: \"Clients can connect to: ... (or NAME.local)\"), or use the server's IP address.\n" +
                ".local names work only on the server's own subnet, and only while the server runs with <Discovery>On."), []);
        }

        try
        {
            using var timeout = new CancellationTokenSource(StepTimeout);
            var addresses = Ordered(await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false));
            return addresses.Count == 0
                ? (new DoctorStep("name", StepStatus.Fail, $"DNS has no address for {host}", "Check the name, or use the server's IP address."), [])
                : (new DoctorStep("name", StepStatus.Pass, $"{host} is {List(addresses)} (DNS)"), addresses);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return (new DoctorStep("name", StepStatus.Fail, $"cannot resolve '{host}' with DNS ({ex.Message})",
                "Check the spelling, or use the server's IP address. A name ending in .local is looked up with multicast DNS instead."), []);
        }
    }

    private static async Task<IReadOnlyList<IPAddress>?> TryDnsAsync(string host)
    {
        try
        {
            using var timeout = new CancellationTokenSource(StepTimeout);
            return Ordered(await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    // IPv4 first, as the doctor always picked, then the rest in the resolver's order.
    private static List<IPAddress> Ordered(IEnumerable<IPAddress> addresses) =>
        [.. addresses.Distinct().OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)];

    private static string List(IReadOnlyList<IPAddress> addresses) => string.Join(", ", addresses);

    /// <summary>
    /// Connects to each of <paramref name="addresses"/> in turn until one answers: passes with the one that did (and
    /// says which others failed, and how), or fails with the first address's reason and advice, and the others' reasons.
    /// </summary>
    public static async Task<(DoctorStep Step, IPAddress? Address)> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port)
    {
        var failed = new List<(IPAddress Address, DoctorStep Step)>();
        foreach (var address in addresses)
        {
            var step = await ConnectAsync(address, port).ConfigureAwait(false);
            if (step.Status != StepStatus.Fail)
            {
                return failed.Count == 0
                    ? (step, address)
                    : (step with { Detail = $"{step.Detail}; tried first: {string.Join("; ", failed.Select(f => f.Step.Detail))}" }, address);
            }

            failed.Add((address, step));
        }

        var first = failed[0].Step;
        return failed.Count == 1
            ? (first, null)
            : (first with { Detail = $"none of the {failed.Count} addresses answered: {string.Join("; ", failed.Select(f => f.Step.Detail))}" }, null);
    }

    public static async Task<DoctorStep> ConnectAsync(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(StepTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
            return new DoctorStep("connect", StepStatus.Pass, $"TCP connection to {Show(address, port)} in {clock.Elapsed.TotalMilliseconds:0.0} ms");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new DoctorStep("connect", StepStatus.Fail,
                $"connection refused by {Show(address, port)}: the machine answered, but nothing listens on port {port}",
                "Start lantalk-server there, or check the port: the server prints \"Listening on ...\" and \"Clients can connect to: ...\" at start.");
        }
        catch (OperationCanceledException)
        {
            return new DoctorStep("connect", StepStatus.Fail,
                $"no answer from {Show(address, port)} within {StepTimeout.TotalSeconds:0} s: the packets are dropped on the way, usually by a firewall (or the machine is off)",
                FirewallAdvice.For(port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.NetworkUnreachable or SocketError.HostUnreachable)
        {
            return new DoctorStep("connect", StepStatus.Fail, $"no route to {Show(address, port)} ({ex.Message})",
                "This machine has no network path to that address: check the cable or Wi-Fi, the address, and that both machines are on the same network (or a routed one).");
        }
        catch (SocketException ex)
        {
            return new DoctorStep("connect", StepStatus.Fail, $"cannot connect to {Show(address, port)}: {ex.Message}", FirewallAdvice.For(port));
        }
    }

    /// <summary>The TLS handshake and the protocol hello, on one connection; returns the connected client when both passed.</summary>
    public static async Task<(List<DoctorStep> Steps, ChatClient? Client)> HelloAsync(IPAddress address, ConnectOptions options)
    {
        var steps = new List<DoctorStep>();
        string? seen = null;
        var client = new ChatClient(new ChatClientOptions
        {
            ClientName = $"lantalk-doctor/{VersionInfo.Text}",
            // A check must not take the stored private messages that the user's chat is to show.
            OneShot = true,
            ConnectTimeout = StepTimeout,
            RequestTimeout = StepTimeout,
            // Accept any certificate here and judge the fingerprint below: nothing secret is sent before the verdict.
            WrapStream = options.Plaintext ? null : TlsClientLayer.Create((_, fingerprint) => { seen = fingerprint; return true; }),
        });
        var clock = Stopwatch.StartNew();
        try
        {
            await client.ConnectAsync(address.ToString(), options.Server.Port).ConfigureAwait(false);
        }
        catch (ChatClientException ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            steps.AddRange(await ExplainHelloFailureAsync(ex, address, options, seen).ConfigureAwait(false));
            return (steps, null);
        }

        double ms = clock.Elapsed.TotalMilliseconds;
        if (options.Plaintext)
        {
            steps.Add(new DoctorStep("tls", StepStatus.Warn, "not used (--plaintext): passwords and messages cross the network unencrypted",
                "Use plaintext only when the server runs with <TlsMode>Off on a trusted network."));
        }
        else
        {
            var tls = TrustStep(seen!, options);
            steps.Add(tls);
            if (tls.Status == StepStatus.Fail)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                return (steps, null);
            }
        }

        var hello = client.ServerHello!;
        steps.Add(new DoctorStep("hello", StepStatus.Pass,
            $"\"{hello.ServerName}\" speaks protocol versions {hello.MinVersion}-{hello.MaxVersion}; this client speaks {ProtocolLimits.MinVersion}-{ProtocolLimits.MaxVersion} (connect and hello in {ms:0.0} ms)"));
        return (steps, client);
    }

    private static DoctorStep TrustStep(string seen, ConnectOptions options)
    {
        string? expected = options.TrustedFingerprint is { } given
            ? CertificateFingerprint.Normalize(given) ?? given
            : new KnownServers(options.KnownServersFile ?? Path.Combine(Path.GetTempPath(), "lantalk-known_servers")).Find(options.Server);
        if (expected is null)
        {
            return new DoctorStep("tls", StepStatus.Pass,
                $"TLS works; the certificate fingerprint is\n{seen}\nYou have not trusted this server yet: lantalk will show this fingerprint and ask. Compare it with the one lantalk-server printed at start.");
        }

        if (string.Equals(expected, seen, StringComparison.OrdinalIgnoreCase))
        {
            return new DoctorStep("tls", StepStatus.Pass, $"TLS works, and the certificate fingerprint is the one you trusted ({seen[..11]}...)");
        }

        return new DoctorStep("tls", StepStatus.Fail,
            $"the server's certificate fingerprint CHANGED:\n  now     {seen}\n  trusted {expected}",
            "Someone may be intercepting the connection, or the server's certificate was replaced (a new data directory, or server.key lost).\n" +
            $"Ask the operator for the fingerprint lantalk-server prints at start. Only if it matches, accept it with:\n  lantalk --server {options.Server} --trust {seen}");
    }

    private static async Task<List<DoctorStep>> ExplainHelloFailureAsync(ChatClientException ex, IPAddress address, ConnectOptions options, string? seen)
    {
        if (ex.Failure == ChatFailure.TlsFailed)
        {
            // Is it a plaintext server? Ask it for a hello without TLS; the hello has no secrets.
            bool plaintextWorks = await PlaintextHelloWorksAsync(address, options.Server.Port).ConfigureAwait(false);
            return plaintextWorks
                ? [new DoctorStep("tls", StepStatus.Fail, "the TLS handshake failed: the server runs WITHOUT TLS (its TlsMode is Off); it answered a plaintext hello",
                    "Connect with --plaintext (passwords then cross the network unencrypted), or ask the operator to set <TlsMode>Required.")]
                : [new DoctorStep("tls", StepStatus.Fail, $"the TLS handshake failed ({ex.Message})",
                    "Something that is not a LanTalk server may listen on that port; check the port the server prints at start.")];
        }

        var tlsSkipped = options.Plaintext ? new DoctorStep("tls", StepStatus.Skip, "not used (--plaintext)") : new DoctorStep("tls", StepStatus.Pass, $"TLS works; fingerprint {seen}");
        if (options.Plaintext && ex.Message.Contains("requires TLS", StringComparison.OrdinalIgnoreCase))
        {
            return [tlsSkipped, new DoctorStep("hello", StepStatus.Fail, "the server requires TLS, and this check connected without it (--plaintext)",
                "Drop --plaintext: lantalk uses TLS by default.")];
        }

        return ex.Failure switch
        {
            ChatFailure.VersionMismatch => [tlsSkipped, new DoctorStep("hello", StepStatus.Fail, ex.Message, "Update lantalk or the server so they share a protocol version.")],
            ChatFailure.TimedOut => [tlsSkipped, new DoctorStep("hello", StepStatus.Fail, $"connected, but no LanTalk greeting arrived within {StepTimeout.TotalSeconds:0} s",
                "Is it a LanTalk server on that port, and does its TLS setting match (try --plaintext if the server runs with TlsMode Off)?")],
            ChatFailure.ServerFull or ChatFailure.ShuttingDown => [tlsSkipped, new DoctorStep("hello", StepStatus.Fail, $"the server refused the connection: {ex.Message}", "Try again later, or ask the operator.")],
            _ => [tlsSkipped, new DoctorStep("hello", StepStatus.Fail, $"the LanTalk greeting failed: {ex.Message}", "Is it a LanTalk server, and is the port right?")],
        };
    }

    private static async Task<bool> PlaintextHelloWorksAsync(IPAddress address, int port)
    {
        await using var client = new ChatClient(new ChatClientOptions { ClientName = "lantalk-doctor", ConnectTimeout = StepTimeout });
        try
        {
            await client.ConnectAsync(address.ToString(), port).ConfigureAwait(false);
            return true;
        }
        catch (ChatClientException)
        {
            return false;
        }
    }

    /// <summary>Five pings, one at a time; reports the median round trip.</summary>
    public static async Task<DoctorStep> LatencyAsync(ChatClient client)
    {
        var times = new List<double>();
        for (ulong nonce = 1_000_001; nonce <= 1_000_005; nonce++)
        {
            var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ulong expected = nonce;
            client.FrameObserver = (connection, frame) =>
            {
                if (frame.Command == ChatCommand.Pong && frame.ReadPacket(connection.Options.Limits) is PingPacket p && p.Nonce == expected)
                {
                    pong.TrySetResult();
                }
            };
            var clock = Stopwatch.StartNew();
            client.Connection.SendPriority(ChatCommand.Ping, new PingPacket(nonce));
            try
            {
                await pong.Task.WaitAsync(StepTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                client.FrameObserver = null;
                return new DoctorStep("latency", StepStatus.Fail, $"the server did not answer a ping within {StepTimeout.TotalSeconds:0} s",
                    "The server is overloaded or the network loses packets; try again, and check the server's log.");
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        client.FrameObserver = null;
        times.Sort();
        double median = times[times.Count / 2];
        return new DoctorStep("latency", median < 200 ? StepStatus.Pass : StepStatus.Warn,
            $"round trip {median:0.00} ms (median of 5 pings; {times[0]:0.00}-{times[^1]:0.00} ms)",
            median < 200 ? null : "Over 200 ms on a LAN: a busy network, Wi-Fi trouble, or an overloaded server.");
    }

    private static string Show(IPAddress address, int port) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
