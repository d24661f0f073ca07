using System.Net;
using System.Net.Sockets;
using LanTalk.Core.Discovery;
using NLog;

namespace LanTalk.Server.Discovery;

/// <summary>
/// Announces this server as a DNS-SD service over multicast DNS (RFC 6762/6763) and answers queries for it:
/// probes its names (renaming on conflict), announces twice, answers PTR/SRV/TXT/A/AAAA, and says goodbye (TTL 0)
/// on stop. IPv4 multicast only. Packets come from the whole LAN, so each is parsed by the bounded
/// <see cref="DnsMessageReader"/>, and answers are rate limited, so a query flood cannot make us flood the LAN.
/// The responder owns <see cref="_gate"/>, which guards the records and the rate-limit state.
/// </summary>
internal sealed class MdnsResponder : IAsyncDisposable
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Discovery");
    private static readonly IPAddress s_group = IPAddress.Parse("224.0.0.251");
    private static readonly IPEndPoint s_groupEndPoint = new(s_group, LanTalkService.MdnsPort);

    /// <summary>How often the interfaces' addresses are read again; README promises a new address is picked up within 10 s.</summary>
    private static readonly TimeSpan s_addressCheckInterval = TimeSpan.FromSeconds(10);

    /// <summary>RFC 6762 §6: a record is multicast at most once per second per interface.</summary>
    private const long MulticastSpacingMs = 1000;

    /// <summary>Unicast answers per second, all askers together: plenty for a LAN, and a flood gets no amplification.</summary>
    private const int UnicastPerSecond = 50;

    private readonly object _gate = new();
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, long> _lastMulticast = [];
    private ServiceRecords _records;
    private IReadOnlyList<MulticastInterface> _interfaces;
    private long _interfacesAt;
    private long _unicastWindow;
    private int _unicastCount;
    private NameConflict _conflict;
    private bool _announced;
    private Task _receive = Task.CompletedTask;
    private Task _announce = Task.CompletedTask;
    private Action<ServiceRecords, bool>? _won;

    private MdnsResponder(Socket socket, ServiceRecords records, IReadOnlyList<MulticastInterface> interfaces)
    {
        _socket = socket;
        _records = records;
        _interfaces = interfaces;
        _interfacesAt = Environment.TickCount64;
    }

    /// <summary>Raised (on the responder's task) after an interface's addresses changed and before they are announced again.</summary>
    public event Action? AddressesChanged;

    /// <summary>
    /// True when no interface could carry mDNS at start: the responder waits for one (re-reading the interfaces every
    /// 10 s) before it probes, so the start-up lines must not name HOST.local yet.
    /// </summary>
    public bool WaitingForInterface { get; private init; }

    /// <summary>The names in use now (they change if probing found a conflict).</summary>
    public ServiceRecords Records
    {
        get
        {
            lock (_gate)
            {
                return _records;
            }
        }
    }

    /// <summary>
    /// Opens UDP 5353 and starts probing; null (with a logged reason) when the port cannot be used. <paramref name="won"/>
    /// is called once probing is over, with the names announced (renamed when another host had ours) and whether the
    /// responder had to wait for an interface first. With no interface that can carry mDNS yet (a service started
    /// before its DHCP lease, an interface without the multicast flag) it still starts and waits for one: it returned
    /// null, and the server was never announced until restarted (an outside audit, 2026-12-06).
    /// </summary>
    public static MdnsResponder? Start(ServiceRecords records, Action<ServiceRecords, bool>? won = null)
    {
        var interfaces = MulticastInterfaces.Current();
        if (interfaces.Count == 0)
        {
            s_log.Warn("Discovery: {Why}, so the server is not announced on the LAN yet; clients need its address. It looks again every {Seconds} s and is announced once an interface can carry it",
                MulticastInterfaces.WhyNone(), s_addressCheckInterval.TotalSeconds);
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Shared with avahi or Bonjour on the same host: both bind 5353 with SO_REUSEADDR and each gets every multicast packet.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, LanTalkService.MdnsPort));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            foreach (var nic in interfaces)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(s_group, nic.Index));
            }
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            s_log.Warn("Discovery: cannot use UDP port {Port} for mDNS ({Error}), so the server is not announced on the LAN; clients need its address", LanTalkService.MdnsPort, ex.Message);
            return null;
        }

        var responder = new MdnsResponder(socket, records, interfaces) { _won = won, WaitingForInterface = interfaces.Count == 0 };
        responder._receive = responder.ReceiveLoopAsync();
        responder._announce = responder.ProbeAndAnnounceAsync();
        return responder;
    }

    private async Task ProbeAndAnnounceAsync()
    {
        var token = _stop.Token;
        try
        {
            bool waited = await WaitForInterfaceAsync(token).ConfigureAwait(false);

            // RFC 6762 §8.1: wait a random 0-250 ms first, so hosts powered on together do not probe in lockstep.
            await Task.Delay(Random.Shared.Next(0, 250), token).ConfigureAwait(false);
            var prober = new Prober((wait, cancel) => Task.Delay(wait, cancel), () => Environment.TickCount64);
            await prober.RunAsync(SendProbe, ConflictSeen, Rename, token).ConfigureAwait(false);

            lock (_gate)
            {
                _announced = true;
            }

            var names = Records;
            _won?.Invoke(names, waited);
            s_log.Info("Discovery: announced as \"{Instance}\" ({Service}) on host {Host}, port {Port}", names.Instance, LanTalkService.ServiceType, names.HostName, names.Port);
            for (int i = 0; i < 2; i++)
            {
                foreach (var nic in ServingInterfaces())
                {
                    TrySend(Records.Announcement(nic.IPv4.Concat(nic.IPv6).ToArray()), nic);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
            }

            await WatchAddressesAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Returns at once when an interface can carry mDNS; else re-reads the interfaces every 10 s (as the address watch
    /// does) until one can, and returns true. Ends when the server stops.
    /// </summary>
    private async Task<bool> WaitForInterfaceAsync(CancellationToken token)
    {
        if (Interfaces().Count > 0)
        {
            return false;
        }

        while (true)
        {
            await Task.Delay(s_addressCheckInterval, token).ConfigureAwait(false);
            if (Interfaces(reread: true) is { Count: > 0 } now)
            {
                s_log.Info("Discovery: {Interfaces} can carry mDNS now ({Addresses}); probing the server's names to announce it",
                    string.Join(", ", now.Select(n => n.Name)), string.Join(", ", now.SelectMany(n => n.IPv4.Concat(n.IPv6)).Where(a => !a.IsIPv6LinkLocal)));
                return true;
            }
        }
    }

    /// <summary>
    /// RFC 6762 §8.4: when an interface's addresses change (a new DHCP lease, the machine moved to another network),
    /// announce again. The address records carry the cache-flush bit, so avahi and Bonjour on the LAN replace the old
    /// address at once. Without this they kept it until its TTL ran out, and nothing told the operator that the
    /// "Clients can connect to" line was out of date (a discovery audit, 2026-12-06). Ends when the server stops.
    /// </summary>
    private async Task WatchAddressesAsync(CancellationToken token)
    {
        var known = Interfaces();
        while (true)
        {
            await Task.Delay(s_addressCheckInterval, token).ConfigureAwait(false);
            var now = Interfaces(reread: true);
            var records = Records;
            // Only where the chat listener serves an address: elsewhere the server is not announced at all.
            var changed = AddressChanges.Between(known, now).Where(nic => records.Served(nic.IPv4.Concat(nic.IPv6)).Count > 0).ToList();
            var gone = AddressChanges.Gone(known, now, records);
            bool lost = AddressChanges.NoLongerAnnounced(known, now, records);
            known = now;
            SayGoodbye(gone, all: lost);
            if (lost)
            {
                // The server's last word must not stay "Clients can connect to: ... ADDRESS" for an address that is gone
                // (it said nothing at all; an outside audit, 2026-12-06).
                s_log.Warn("Discovery: {Why}, so the server is no longer announced on the LAN; clients need its address. It is announced again once an interface can carry it",
                    now.Count == 0 ? MulticastInterfaces.WhyNone() : "no interface that can carry mDNS has an address the chat listener serves");
                AddressesChanged?.Invoke();
                continue;
            }

            if (changed.Count == 0)
            {
                continue;
            }

            foreach (var nic in changed)
            {
                s_log.Info("Discovery: the addresses of {Interface} are now {Addresses}; announced again, so caches on the LAN drop the old ones",
                    nic.Name, string.Join(", ", nic.IPv4.Concat(nic.IPv6).Where(a => !a.IsIPv6LinkLocal)));
            }

            AddressesChanged?.Invoke();
            for (int i = 0; i < 2; i++)
            {
                foreach (var nic in changed)
                {
                    try
                    {
                        Send(Records.Announcement(nic.IPv4.Concat(nic.IPv6).ToArray()), nic, s_groupEndPoint);
                    }
                    catch (SocketException ex)
                    {
                        // The interface changed again (or went away) meanwhile; the next check sees it.
                        s_log.Debug("Discovery: announcement on {Interface} failed: {Error}", nic.Name, ex.Message);
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Goodbyes (TTL 0) for the addresses that are gone, so caches on the LAN drop them now instead of at the end of
    /// their TTL; with <paramref name="all"/> (nothing is served any more) for the whole service. Sent on the interface
    /// they were announced on: through its remaining IPv4 address, else by its index, which the kernel may refuse
    /// once the interface has no IPv4 address left; then nothing more can be done.
    /// </summary>
    private void SayGoodbye(IReadOnlyList<(MulticastInterface Nic, IReadOnlyList<IPAddress> Gone)> gone, bool all)
    {
        var records = Records;
        foreach (var (nic, addresses) in gone)
        {
            var message = all ? records.Announcement(addresses, goodbye: true) : records.AddressGoodbye(addresses);
            var now = Interfaces().FirstOrDefault(n => n.Index == nic.Index);
            try
            {
                if (now is not null)
                {
                    Send(message, now, s_groupEndPoint);
                }
                else
                {
                    SendByIndex(message, nic.Index);
                }

                s_log.Info("Discovery: sent goodbye for {Addresses} on {Interface}", string.Join(", ", addresses), nic.Name);
            }
            catch (SocketException ex)
            {
                s_log.Debug("Discovery: goodbye for {Addresses} on {Interface} failed: {Error}", string.Join(", ", addresses), nic.Name, ex.Message);
            }
        }
    }

    private void SendByIndex(DnsMessage message, int index)
    {
        byte[] bytes = DnsMessageWriter.Write(message);
        lock (_gate)
        {
            // An interface index in network byte order selects the interface without one of its addresses (ip_mreqn).
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(index));
            _socket.SendTo(bytes, s_groupEndPoint);
        }
    }

    private void SendProbe()
    {
        foreach (var nic in ServingInterfaces())
        {
            TrySend(Records.Probe(nic.IPv4.Concat(nic.IPv6).ToArray()), nic);
        }
    }

    /// <summary>
    /// A multicast send that an address going away meanwhile cannot turn into an exception: one thrown here ended the
    /// probe task for good, and stopping the server then crashed it with that exception. The next address check sees the change.
    /// </summary>
    private void TrySend(DnsMessage message, MulticastInterface nic)
    {
        try
        {
            Send(message, nic, s_groupEndPoint);
        }
        catch (SocketException ex)
        {
            s_log.Debug("Discovery: send on {Interface} failed: {Error}", nic.Name, ex.Message);
        }
    }

    private bool ConflictSeen()
    {
        lock (_gate)
        {
            return _conflict != NameConflict.None;
        }
    }

    private void Rename()
    {
        lock (_gate)
        {
            var before = _records;
            _records = ConflictRenames.Renamed(before, _conflict);
            s_log.Warn("{Line}", ConflictRenames.Warning(before, _records, _conflict));
            _conflict = NameConflict.None;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[DnsLimits.MaxPacketBytes + 1];
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await _socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue;
            }

            try
            {
                Handle(buffer.AsSpan(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, received.PacketInformation.Interface);
            }
            catch (SocketException ex)
            {
                // A failed send (interface gone) must not end the responder; the next query is answered again.
                s_log.Debug("Discovery: send failed: {Error}", ex.Message);
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> packet, IPEndPoint source, int interfaceIndex)
    {
        if (DnsMessageReader.TryRead(packet) is not { } message)
        {
            return;
        }

        // Only on a link where the chat listener has an address: with ListenAddress set to one LAN's address, the
        // service is not offered on the others, where nobody could connect to it.
        var nic = ServingInterfaces().FirstOrDefault(i => i.Index == interfaceIndex);
        if (nic is null)
        {
            return;
        }

        ServiceRecords records;
        lock (_gate)
        {
            records = _records;
            var ours = nic.IPv4.Concat(nic.IPv6).ToArray();
            var conflict = _announced ? NameConflict.None : records.ConflictsWith(message, ours) | records.LosesTiebreak(message, ours);
            if (conflict != NameConflict.None)
            {
                _conflict |= conflict;
                return;
            }
        }

        if (message.IsResponse || !_announced)
        {
            return;
        }

        var addresses = nic.IPv4.Concat(nic.IPv6).ToArray();
        if (records.Answer(message, addresses) is not { } answer)
        {
            return;
        }

        bool legacy = source.Port != LanTalkService.MdnsPort;
        if (legacy || message.Questions.All(q => q.UnicastResponse))
        {
            // RFC 6762 §11: unicast answers go only to askers on the link the query came from.
            if (!nic.IsOnLink(source.Address) || !TakeUnicastToken())
            {
                return;
            }

            Send(legacy ? ServiceRecords.ForLegacyUnicast(answer, message) : answer, nic, source);
            return;
        }

        if (TakeMulticastSlot(nic.Index))
        {
            Send(answer, nic, s_groupEndPoint);
        }
    }

    private bool TakeUnicastToken()
    {
        long window = Environment.TickCount64 / 1000;
        lock (_gate)
        {
            if (window != _unicastWindow)
            {
                _unicastWindow = window;
                _unicastCount = 0;
            }

            return ++_unicastCount <= UnicastPerSecond;
        }
    }

    private bool TakeMulticastSlot(int index)
    {
        long now = Environment.TickCount64;
        lock (_gate)
        {
            if (_lastMulticast.TryGetValue(index, out long last) && now - last < MulticastSpacingMs)
            {
                return false;
            }

            _lastMulticast[index] = now;
            return true;
        }
    }

    /// <summary>True while some interface carries the announcement (false before the first one came up, and after the last one went).</summary>
    public bool Serving => ServingInterfaces().Any();

    /// <summary>The interfaces with an address the chat listener serves (<see cref="ServiceRecords.Served"/>).</summary>
    private IEnumerable<MulticastInterface> ServingInterfaces()
    {
        var records = Records;
        return Interfaces().Where(nic => records.Served(nic.IPv4.Concat(nic.IPv6)).Count > 0);
    }

    /// <summary>
    /// The interfaces, re-read at most every 10 s (or now, with <paramref name="reread"/>), so a DHCP renewal or a new
    /// cable is picked up.
    /// </summary>
    private IReadOnlyList<MulticastInterface> Interfaces(bool reread = false)
    {
        lock (_gate)
        {
            if (!reread && Environment.TickCount64 - _interfacesAt < (long)s_addressCheckInterval.TotalMilliseconds)
            {
                return _interfaces;
            }
        }

        var fresh = MulticastInterfaces.Current();
        lock (_gate)
        {
            foreach (var nic in fresh.Where(f => !_interfaces.Any(i => i.Index == f.Index)))
            {
                try
                {
                    _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(s_group, nic.Index));
                }
                catch (SocketException)
                {
                    // Already a member, or the interface went away again: either way nothing to do.
                }
            }

            _interfaces = fresh;
            _interfacesAt = Environment.TickCount64;
            return _interfaces;
        }
    }

    private void Send(DnsMessage message, MulticastInterface nic, IPEndPoint to)
    {
        byte[] bytes = DnsMessageWriter.Write(message);
        lock (_gate)
        {
            // The outgoing interface is socket state, so setting it and sending happen under the one lock.
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, nic.IPv4[0].GetAddressBytes());
            _socket.SendTo(bytes, to);
        }
    }

    /// <summary>Says goodbye (every record with TTL 0, RFC 6762 §10.1), then closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        bool announced;
        lock (_gate)
        {
            announced = _announced;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _announce.ConfigureAwait(false);
        // After the last interface went away the goodbyes were sent then (SayGoodbye); nothing is left to say.
        if (announced && Serving)
        {
            foreach (var nic in ServingInterfaces())
            {
                try
                {
                    Send(Records.Announcement(nic.IPv4.Concat(nic.IPv6).ToArray(), goodbye: true), nic, s_groupEndPoint);
                }
                catch (SocketException ex)
                {
                    s_log.Debug("Discovery: goodbye on {Interface} failed: {Error}", nic.Name, ex.Message);
                }
            }

            s_log.Info("Discovery: sent goodbye for \"{Instance}\"", Records.Instance);
        }

        _socket.Dispose();
        await _receive.ConfigureAwait(false);
        _stop.Dispose();
    }
}
