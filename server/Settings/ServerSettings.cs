using System.Net;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Settings;

/// <summary>Everything the server reads from Data/Settings.xml, validated once. Defaults are the built-in configuration.</summary>
public sealed record ServerSettings
{
    /// <summary>IPv6Any with dual-stack accepts IPv4 and IPv6 on every interface.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.IPv6Any;

    /// <summary>65534 is the port the 2008 server used, so existing firewall rules keep working.</summary>
    public int Port { get; init; } = 65534;

    /// <summary>Pending-accept queue; 32 matches the original design's client count.</summary>
    public int ListenBacklog { get; init; } = 32;

    /// <summary>Logged-in sessions at once (every session counts, ChatSocket and IRC). 32 is the original design; tens of thousands work.</summary>
    public int MaxClients { get; init; } = 32;

    /// <summary>Connections that have not logged in yet. A separate small budget, so a connection flood cannot lock out users.</summary>
    public int MaxPendingLogins { get; init; } = 64;

    /// <summary>
    /// Of <see cref="MaxPendingLogins"/>, how many one IP address may hold: a flood from one address then leaves the
    /// rest of the budget to everyone else. A real client logs in within a second, so 4 is plenty per address.
    /// </summary>
    public int MaxPendingLoginsPerAddress { get; init; } = 4;

    /// <summary>Connections from one IP address at once; a LAN user rarely needs more than a few.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 16;

    public string ServerName { get; init; } = "LanTalk";

    /// <summary>Seconds of client silence before the client should ping; announced in ServerHello.</summary>
    public int PingIntervalSeconds { get; init; } = 30;

    /// <summary>1.5 × the ping interval: one lost ping is tolerated, two are not.</summary>
    public int IdleTimeoutSeconds { get; init; } = 45;

    /// <summary>A socket must log in within this time, so slowloris connections cannot hold slots.</summary>
    public int LoginTimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// A frame must be complete this long after its first byte arrived, before and after login: any byte resets the
    /// idle timer, so without it a client sending one byte a second would hold its slot for ever.
    /// </summary>
    public int FrameDeadlineSeconds { get; init; } = 30;

    public int MaxFrameSize { get; init; } = ProtocolLimits.Default.MaxFrameSize;

    public int MaxMessageBytes { get; init; } = ProtocolLimits.Default.MaxMessageBytes;

    public int MaxUserNameLength { get; init; } = ProtocolLimits.Default.MaxUserNameLength;

    public int OutboundQueueFrames { get; init; } = ChatConnectionOptions.Default.MaxQueuedFrames;

    public long OutboundQueueBytes { get; init; } = ChatConnectionOptions.Default.MaxQueuedBytes;

    /// <summary>Relative paths are under the data directory.</summary>
    public string LogDirectory { get; init; } = "logs";

    public bool AllowRegistration { get; init; }

    /// <summary>Fewest characters in a new password (registration, user add, passwd): OWASP's minimum of 8.</summary>
    public int MinPasswordLength { get; init; } = 8;

    /// <summary>PBKDF2-SHA256 iterations for new hashes: OWASP's 2023 guidance. Stored per user, so it can be raised later.</summary>
    public int PasswordIterations { get; init; } = 600_000;

    public TlsMode TlsMode { get; init; } = TlsMode.Required;

    /// <summary>PEM certificate; empty means a self-signed one generated in the data directory.</summary>
    public string CertificatePath { get; init; } = string.Empty;

    public string CertificateKeyPath { get; init; } = string.Empty;

    /// <summary>Failed logins per address or per name within the window before further attempts are refused.</summary>
    public int LoginFailureLimit { get; init; } = 5;

    public int LoginFailureWindowSeconds { get; init; } = 300;

    /// <summary>Accounts Register may create from one address within RegistrationWindowSeconds: one person, a retry or two.</summary>
    public int RegistrationsPerAddress { get; init; } = 3;

    /// <summary>Accounts Register may create from all addresses together within the window: a team joining at once.</summary>
    public int RegistrationsPerServer { get; init; } = 30;

    public int RegistrationWindowSeconds { get; init; } = 3600;

    /// <summary>Sustained messages per second per session; the token bucket refills at this rate.</summary>
    public double MessageRatePerSecond { get; init; } = 20;

    /// <summary>Messages a session may send at once before the rate applies.</summary>
    public int MessageBurst { get; init; } = 60;

    /// <summary>
    /// Sustained commands other than messages and pings (v3 room commands, away, WhoIs, History, Search,
    /// RequestUsers) per second per session: each can make the server fan frames out or read the store.
    /// </summary>
    public double CommandRatePerSecond { get; init; } = 20;

    /// <summary>Such commands a session may send at once (a client rejoining its rooms at login) before the rate applies.</summary>
    public int CommandBurst { get; init; } = 100;

    /// <summary>On: announce the server with mDNS/DNS-SD so clients find it without an address (issue 16).</summary>
    public DiscoveryMode Discovery { get; init; } = DiscoveryMode.On;

    /// <summary>The DNS-SD instance name clients see; empty means the host name.</summary>
    public string DiscoveryName { get; init; } = string.Empty;

    /// <summary>
    /// Off by default: an announcement can be forged by anyone on the LAN, so only the operator may tell clients
    /// to trust the announced fingerprint on first use without asking.
    /// </summary>
    public bool DiscoveryPinOnFirstUse { get; init; }
    /// <summary>
    /// Whether messages are stored in Data/history.db. Off, nothing of a conversation touches the disk: messages are
    /// relayed and echoed as in v2, joins replay nothing, and a private message to a user who is not logged in is
    /// refused with UserOffline. For teams that must not keep chat, and to measure what the store costs.
    /// </summary>
    public bool History { get; init; } = true;

    /// <summary>Days a message stays in history (Data/history.db); 0 keeps messages until the per-room cap removes them.</summary>
    public int HistoryDays { get; init; } = 365;

    /// <summary>
    /// Whether every history commit is flushed to the disk (fsync) before its messages are acknowledged, so an
    /// acknowledged message survives a power cut and an OS crash as well as any crash of the server. Off, a commit
    /// is acknowledged once it is in the operating system's cache (it still survives kill -9 and server crashes),
    /// and a flush thread puts it on the disk at most a second (<c>HistoryWriter.FlushDelayMs</c>) after the first
    /// commit not yet there: a power cut can lose at most that window, never corrupt the file. Off saves one disk flush per commit, which is most of a lone message's cost.
    /// </summary>
    public bool HistoryPowerSafe { get; init; } = true;

    /// <summary>Newest messages kept per room; 0 means no cap. 100,000 keeps a busy room's year in well under 100 MB.</summary>
    public int HistoryMaxMessagesPerRoom { get; init; } = 100_000;

    /// <summary>Undelivered private messages stored for one offline user; one more is refused with TooManyStored.</summary>
    public int OfflineMessagesPerUser { get; init; } = 10_000;

    /// <summary>
    /// Undelivered private messages one sender may have in one user's offline queue; one more is refused with
    /// TooManyStored. So one account (or a runaway script) cannot fill a colleague's queue for everyone.
    /// </summary>
    public int OfflineMessagesPerSender { get; init; } = 1_000;

    /// <summary>Days an undelivered private message waits for its recipient before it expires.</summary>
    public int OfflineMessageDays { get; init; } = 30;

    /// <summary>The room every user is in unless they leave it; v2 clients see only this room (protocol v3).</summary>
    public string DefaultRoom { get; init; } = "lobby";

    /// <summary>True: JoinRoom of a room that does not exist creates it, with the joiner as owner.</summary>
    public bool AllowRoomCreation { get; init; } = true;

    /// <summary>Rooms on the server, the default room included; one more is refused with TooManyRooms.</summary>
    public int MaxRooms { get; init; } = 1000;

    /// <summary>Rooms one user may be in at once, the default room included.</summary>
    public int MaxRoomsPerUser { get; init; } = 50;

    /// <summary>Members of one room (users, not sessions); the default room is exempt so every user can land in it.</summary>
    public int MaxRoomMembers { get; init; } = 1000;

    /// <summary>Longest room name in characters: the same 32 as user names, so a room fits the same UI column.</summary>
    public int MaxRoomNameLength { get; init; } = 32;

    /// <summary>Longest topic in UTF-8 bytes: 390 is what an IRC TOPIC line can carry, so the gateway never cuts one.</summary>
    public int MaxTopicBytes { get; init; } = 390;

    /// <summary>Longest away text in UTF-8 bytes.</summary>
    public int MaxAwayBytes { get; init; } = 256;

    /// <summary>Sessions one user may have at once (laptop, desktop, scripts); one more is refused with TooManySessions.</summary>
    public int MaxSessionsPerUser { get; init; } = 8;

    /// <summary>Messages replayed when a client joins a room without a SinceId.</summary>
    public int HistoryOnJoin { get; init; } = 50;

    /// <summary>Most messages replayed for a join's catch-up (SinceId above 0); HistoryEnd says how many more there are.</summary>
    public int MaxReplay { get; init; } = 500;

    /// <summary>Most messages in one History or Search answer.</summary>
    public int MaxHistoryPage { get; init; } = 200;
    /// <summary>The IRC gateway's plaintext port (6667 is usual); -1 is off, the default, and 0 asks the OS for a free port.</summary>
    public int IrcPort { get; init; } = -1;

    /// <summary>IRC over TLS (6697 is usual) with the server's certificate; -1 is off, the default.</summary>
    public int IrcTlsPort { get; init; } = -1;

    /// <summary>
    /// Off (the seed requires a login): on, an IRC client that gives no password chats as a guest named
    /// <see cref="GuestPrefix"/> + its nick (docs/PROTOCOL.md, "Guests").
    /// </summary>
    public bool AllowGuests { get; init; }

    /// <summary>The gateway's IRC server name, the source of its numerics; a host-name-like token (IRC has no spaces there).</summary>
    public string IrcServerName { get; init; } = "lantalk.local";

    /// <summary>What a guest's name starts with, so guests stand out from accounts; may be empty (conformance suites).</summary>
    public string GuestPrefix { get; init; } = "guest-";

    public ProtocolLimits Limits => new()
    {
        MaxFrameSize = MaxFrameSize,
        MaxMessageBytes = MaxMessageBytes,
        MaxUserNameLength = MaxUserNameLength,
    };

    public ChatConnectionOptions ConnectionOptions => new()
    {
        Limits = Limits,
        MaxQueuedFrames = OutboundQueueFrames,
        MaxQueuedBytes = OutboundQueueBytes,
        Coalescer = WriteCoalescer.Shared,
    };

    public static ServerSettings Default { get; } = new();
}
