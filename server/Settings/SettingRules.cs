using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Settings;

/// <summary>
/// The closed table of Settings.xml elements and their ranges. The ranges keep a typo from taking the server down
/// at run time (a MaxClients of 0, a 2 GB frame); the shipped Data/Settings.xml explains each default.
/// </summary>
internal static class SettingRules
{
    public static IReadOnlyList<SettingRule> All { get; } =
    [
        SettingRule.Address("ListenAddress", s => s.ListenAddress, (s, v) => s with { ListenAddress = v }),
        // 0 asks the OS for a free port (tests); the real port is logged as "Listening on ...".
        SettingRule.Int("Port", 0, 65535, s => s.Port, (s, v) => s with { Port = v }),
        SettingRule.Int("ListenBacklog", 1, 65535, s => s.ListenBacklog, (s, v) => s with { ListenBacklog = v }),
        SettingRule.Int("MaxClients", 1, 1_000_000, s => s.MaxClients, (s, v) => s with { MaxClients = v }),
        SettingRule.Int("MaxPendingLogins", 1, 1_000_000, s => s.MaxPendingLogins, (s, v) => s with { MaxPendingLogins = v }),
        SettingRule.Int("MaxPendingLoginsPerAddress", 1, 1_000_000, s => s.MaxPendingLoginsPerAddress, (s, v) => s with { MaxPendingLoginsPerAddress = v }),
        SettingRule.Int("MaxConnectionsPerAddress", 1, 1_000_000, s => s.MaxConnectionsPerAddress, (s, v) => s with { MaxConnectionsPerAddress = v }),
        // ServerHello carries it; 64 characters fit any client's title bar.
        SettingRule.Text("ServerName", 1, 64, s => s.ServerName, (s, v) => s with { ServerName = v }),
        SettingRule.Int("PingIntervalSeconds", 5, 3600, s => s.PingIntervalSeconds, (s, v) => s with { PingIntervalSeconds = v }),
        SettingRule.Int("IdleTimeoutSeconds", 6, 7200, s => s.IdleTimeoutSeconds, (s, v) => s with { IdleTimeoutSeconds = v }),
        SettingRule.Int("LoginTimeoutSeconds", 1, 300, s => s.LoginTimeoutSeconds, (s, v) => s with { LoginTimeoutSeconds = v }),
        // A full 64 KiB frame takes milliseconds on a LAN; 1 s lets tests run fast, an hour is already absurdly lenient.
        SettingRule.Int("FrameDeadlineSeconds", 1, 3600, s => s.FrameDeadlineSeconds, (s, v) => s with { FrameDeadlineSeconds = v }),
        // Below 1 KiB a user list of a few names no longer fits; above 16 MiB one frame could pin real memory per client.
        // At most what every client accepts (PROTOCOL.md: 65,536), since a client cannot announce a larger limit;
        // a message is a uint16-prefixed string, so it can never be longer than 65,535 bytes anyway.
        SettingRule.Int("MaxFrameSize", 1024, 65_536, s => s.MaxFrameSize, (s, v) => s with { MaxFrameSize = v }),
        SettingRule.Int("MaxMessageBytes", 1, 65_535, s => s.MaxMessageBytes, (s, v) => s with { MaxMessageBytes = v }),
        // A name travels in fields of at most 128 bytes (PROTOCOL.md, "Limits"). Every name rule checks those bytes
        // too (UserNames.IsValidExisting), so a long setting cannot let a name outgrow them: with 100 and no byte
        // check, a registered name of 300 bytes got every message to it refused as a protocol violation. Up to 128,
        // not 32: the first releases allowed 256, and their 40-character accounts must keep working (an upgrade audit).
        SettingRule.Int("MaxUserNameLength", 1, Users.UserNames.MaxLength, s => s.MaxUserNameLength, (s, v) => s with { MaxUserNameLength = v },
            why: "in characters; a name also fits in the protocol's 128-byte name fields whatever this says"),
        SettingRule.Int("OutboundQueueFrames", 16, 10_000_000, s => s.OutboundQueueFrames, (s, v) => s with { OutboundQueueFrames = v }),
        SettingRule.Long("OutboundQueueBytes", 64 * 1024, 1L << 30, s => s.OutboundQueueBytes, (s, v) => s with { OutboundQueueBytes = v }),
        SettingRule.Text("LogDirectory", 1, 4096, s => s.LogDirectory, (s, v) => s with { LogDirectory = v }),
        SettingRule.Bool("AllowRegistration", s => s.AllowRegistration, (s, v) => s with { AllowRegistration = v }),
        // At least 1 (an empty password is never allowed); at most 256, the longest password a Login frame carries.
        SettingRule.Int("MinPasswordLength", 1, 256, s => s.MinPasswordLength, (s, v) => s with { MinPasswordLength = v }),
        // 1,000 is allowed for test servers only; a start-up warning says so below 100,000.
        SettingRule.Int("PasswordIterations", 1000, 100_000_000, s => s.PasswordIterations, (s, v) => s with { PasswordIterations = v }),
        SettingRule.Tls("TlsMode", s => s.TlsMode, (s, v) => s with { TlsMode = v }),
        SettingRule.Text("CertificatePath", 0, 4096, s => s.CertificatePath, (s, v) => s with { CertificatePath = v }),
        SettingRule.Text("CertificateKeyPath", 0, 4096, s => s.CertificateKeyPath, (s, v) => s with { CertificateKeyPath = v }),
        SettingRule.Int("LoginFailureLimit", 1, 1000, s => s.LoginFailureLimit, (s, v) => s with { LoginFailureLimit = v }),
        SettingRule.Int("LoginFailureWindowSeconds", 1, 86_400, s => s.LoginFailureWindowSeconds, (s, v) => s with { LoginFailureWindowSeconds = v }),
        SettingRule.Int("RegistrationsPerAddress", 1, 1_000_000, s => s.RegistrationsPerAddress, (s, v) => s with { RegistrationsPerAddress = v }),
        SettingRule.Int("RegistrationsPerServer", 1, 1_000_000, s => s.RegistrationsPerServer, (s, v) => s with { RegistrationsPerServer = v }),
        SettingRule.Int("RegistrationWindowSeconds", 1, 604_800, s => s.RegistrationWindowSeconds, (s, v) => s with { RegistrationWindowSeconds = v }),
        SettingRule.Double("MessageRatePerSecond", 0.1, 100_000, s => s.MessageRatePerSecond, (s, v) => s with { MessageRatePerSecond = v }),
        SettingRule.Int("MessageBurst", 1, 1_000_000, s => s.MessageBurst, (s, v) => s with { MessageBurst = v }),
        SettingRule.Double("CommandRatePerSecond", 0.1, 100_000, s => s.CommandRatePerSecond, (s, v) => s with { CommandRatePerSecond = v }),
        SettingRule.Int("CommandBurst", 1, 1_000_000, s => s.CommandBurst, (s, v) => s with { CommandBurst = v }),
        new("Discovery", "On or Off", s => s.Discovery.ToString(), (s, text) => text switch
        {
            "On" => s with { Discovery = DiscoveryMode.On },
            "Off" => s with { Discovery = DiscoveryMode.Off },
            _ => null,
        }),
        // One DNS label holds at most 63 bytes (RFC 1035), counted in UTF-8. A limit in characters let 40 × 'é'
        // (80 bytes) pass 'config check', and the responder then announced 31 of them without a word (a discovery audit).
        new("DiscoveryName", $"text of at most {Core.Discovery.DnsLimits.MaxLabelBytes} bytes in UTF-8 (one DNS label: 'é' takes 2 bytes, most CJK characters 3), without control characters",
            s => s.DiscoveryName,
            (s, text) => System.Text.Encoding.UTF8.GetByteCount(text) <= Core.Discovery.DnsLimits.MaxLabelBytes && !text.Any(char.IsControl) ? s with { DiscoveryName = text } : null),
        SettingRule.Bool("DiscoveryPinOnFirstUse", s => s.DiscoveryPinOnFirstUse, (s, v) => s with { DiscoveryPinOnFirstUse = v }),
        // History retention: 0 turns a limit off; 100 years and 100 million messages are bounds no LAN reaches.
        SettingRule.Bool("History", s => s.History, (s, v) => s with { History = v }),
        SettingRule.Int("HistoryDays", 0, 36_500, s => s.HistoryDays, (s, v) => s with { HistoryDays = v }),
        SettingRule.Bool("HistoryPowerSafe", s => s.HistoryPowerSafe, (s, v) => s with { HistoryPowerSafe = v }),
        SettingRule.Int("HistoryMaxMessagesPerRoom", 0, 100_000_000, s => s.HistoryMaxMessagesPerRoom, (s, v) => s with { HistoryMaxMessagesPerRoom = v }),
        // At least 1, or every private message to an offline user would be refused; 1 million bounds one user's queue.
        SettingRule.Int("OfflineMessagesPerUser", 1, 1_000_000, s => s.OfflineMessagesPerUser, (s, v) => s with { OfflineMessagesPerUser = v }),
        SettingRule.Int("OfflineMessagesPerSender", 1, 1_000_000, s => s.OfflineMessagesPerSender, (s, v) => s with { OfflineMessagesPerSender = v }),
        SettingRule.Int("OfflineMessageDays", 1, 3650, s => s.OfflineMessageDays, (s, v) => s with { OfflineMessageDays = v }),
        // Rooms (protocol v3). The default room's name must follow the room-name rules; CrossChecks says so.
        SettingRule.Text("DefaultRoom", 1, 32, s => s.DefaultRoom, (s, v) => s with { DefaultRoom = v }),
        SettingRule.Bool("AllowRoomCreation", s => s.AllowRoomCreation, (s, v) => s with { AllowRoomCreation = v }),
        // At least 1: the default room always exists.
        SettingRule.Int("MaxRooms", 1, 1_000_000, s => s.MaxRooms, (s, v) => s with { MaxRooms = v }),
        SettingRule.Int("MaxRoomsPerUser", 1, 100_000, s => s.MaxRoomsPerUser, (s, v) => s with { MaxRoomsPerUser = v }),
        SettingRule.Int("MaxRoomMembers", 2, 1_000_000, s => s.MaxRoomMembers, (s, v) => s with { MaxRoomMembers = v }),
        // A room name travels in a frame's target and in RoomRequest's Name (at most 128 bytes): 32 characters of 4 bytes.
        SettingRule.Int("MaxRoomNameLength", 1, RoomNames.MaxLength, s => s.MaxRoomNameLength, (s, v) => s with { MaxRoomNameLength = v }),
        // RoomRequest's Text carries at most 4096 bytes on the wire.
        SettingRule.Int("MaxTopicBytes", 0, 4096, s => s.MaxTopicBytes, (s, v) => s with { MaxTopicBytes = v }),
        SettingRule.Int("MaxAwayBytes", 1, 4096, s => s.MaxAwayBytes, (s, v) => s with { MaxAwayBytes = v }),
        // 1 is the v2 rule (one login per user); 1000 bounds one user's share of MaxClients.
        SettingRule.Int("MaxSessionsPerUser", 1, 1000, s => s.MaxSessionsPerUser, (s, v) => s with { MaxSessionsPerUser = v }),
        SettingRule.Int("HistoryOnJoin", 0, 10_000, s => s.HistoryOnJoin, (s, v) => s with { HistoryOnJoin = v }),
        // At least 1: with 0 a catch-up sent nothing, and its HistoryEnd (LastId 0) left no AfterId to page forward
        // from; AfterId 0 means none, so the "rest" came back newest first (a store audit, 2026-12-06).
        SettingRule.Int("MaxReplay", 1, 100_000, s => s.MaxReplay, (s, v) => s with { MaxReplay = v }),
        // HistoryRequest.Limit is a uint16.
        SettingRule.Int("MaxHistoryPage", 1, 65_535, s => s.MaxHistoryPage, (s, v) => s with { MaxHistoryPage = v }),
        // -1 is off; 0 asks the OS for a free port, as Port does (tests).
        SettingRule.Int("IrcPort", -1, 65535, s => s.IrcPort, (s, v) => s with { IrcPort = v }),
        SettingRule.Int("IrcTlsPort", -1, 65535, s => s.IrcTlsPort, (s, v) => s with { IrcTlsPort = v }),
        // IRC clients show it as the server's name; a space or ':' would break the line format.
        new("IrcServerName", "1 to 63 letters, digits, '.', '-' or '_'", s => s.IrcServerName, (s, text) =>
            text.Length is >= 1 and <= 63 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? s with { IrcServerName = text } : null),
        SettingRule.Bool("AllowGuests", s => s.AllowGuests, (s, v) => s with { AllowGuests = v }),
        // Part of a user name, so at most 16 of its characters; empty lets guests keep their nick.
        SettingRule.Text("GuestPrefix", 0, 16, s => s.GuestPrefix, (s, v) => s with { GuestPrefix = v }),
    ];

    /// <summary>
    /// What a message frame carries besides its text, at most: the ChatMessage fields, the sender's name and the
    /// target, each as long as a name field holds (128 bytes), whatever MaxUserNameLength and MaxRoomNameLength say
    /// now. Users.xml and Rooms.xml keep names made under a larger setting, and the store keeps messages from and to
    /// them, so a bound taken from today's settings let a private message to such an account, or its replay, go out
    /// in a frame longer than any client accepts.
    /// </summary>
    internal static int MessageFrameOverhead =>
        // The length prefix counts everything after itself.
        ChatMessageFrame.Measure(Users.UserNames.MaxBytes, Users.UserNames.MaxBytes, 0) - 4;

    public static SettingRule? Find(string element) => All.FirstOrDefault(r => r.Element == element);

    /// <summary>Rules that involve two elements; each names the element to blame, the others it reads, and the problem or null.</summary>
    public static IEnumerable<CrossCheck> CrossChecks(ServerSettings s)
    {
        yield return new("IdleTimeoutSeconds", ["PingIntervalSeconds"], s.IdleTimeoutSeconds > s.PingIntervalSeconds ? null
            : $"<IdleTimeoutSeconds> ({s.IdleTimeoutSeconds}) must be greater than <PingIntervalSeconds> ({s.PingIntervalSeconds}), or every quiet client is dropped; 1.5 times the interval is usual");
        int overhead = MessageFrameOverhead;
        yield return new("MaxMessageBytes", ["MaxFrameSize"], s.MaxMessageBytes <= s.MaxFrameSize - overhead ? null
            : $"<MaxMessageBytes> ({s.MaxMessageBytes}) must be less than <MaxFrameSize> ({s.MaxFrameSize}) by at least {overhead} bytes, the rest of the largest message frame "
              + $"(a sender and a target of up to {Users.UserNames.MaxBytes} bytes each, and the fixed fields), so every message fits in one frame; "
              + $"set <MaxMessageBytes> to at most {s.MaxFrameSize - overhead}");
        yield return new("OutboundQueueBytes", ["MaxFrameSize"], s.OutboundQueueBytes >= s.MaxFrameSize + ProtocolLimits.FrameOverhead ? null
            : $"<OutboundQueueBytes> ({s.OutboundQueueBytes}) must hold at least one frame of <MaxFrameSize> ({s.MaxFrameSize}) bytes with its {ProtocolLimits.FrameOverhead}-byte header: set it to {s.MaxFrameSize + ProtocolLimits.FrameOverhead} or more");
        // The older rule: the default room already exists in Rooms.xml, and a server must not refuse to start over
        // its name at an upgrade (docs/PROTOCOL.md, "Names").
        yield return new("DefaultRoom", ["MaxRoomNameLength"], RoomNames.IsValidExisting(s.DefaultRoom, s.MaxRoomNameLength, out string roomProblem) ? null
            : $"<DefaultRoom> '{s.DefaultRoom}' is not a valid room name: {roomProblem}");
        // Only while guests are allowed: the prefix names no one else, and a server that never admits a guest must not
        // refuse to start over it.
        yield return new("GuestPrefix", ["MaxUserNameLength", "AllowGuests"], s.AllowGuests ? Users.UserNames.GuestPrefixProblem(s.GuestPrefix, s.MaxUserNameLength) : null);
        yield return new("CertificateKeyPath", ["CertificatePath"], s.CertificateKeyPath.Length == 0 || s.CertificatePath.Length > 0 ? null
            : "<CertificateKeyPath> is set but <CertificatePath> is empty; give both, or neither to use a generated certificate");
        yield return new("IrcTlsPort", ["TlsMode"], s.IrcTlsPort < 0 || s.TlsMode != TlsMode.Off ? null
            : "<IrcTlsPort> needs the server's certificate, but <TlsMode> is Off; set <IrcTlsPort>-1</IrcTlsPort> or <TlsMode>Required</TlsMode>");
        yield return new("IrcTlsPort", ["IrcPort"], s.IrcTlsPort <= 0 || s.IrcTlsPort != s.IrcPort ? null
            : $"<IrcTlsPort> and <IrcPort> are both {s.IrcPort}; give them different ports");
        // Each would fail to bind on the main listener's port; said here, config check and --port clashes say it too.
        yield return new("IrcPort", ["Port"], s.IrcPort <= 0 || s.IrcPort != s.Port ? null
            : $"<IrcPort> and <Port> are both {s.Port}; give them different ports");
        yield return new("IrcTlsPort", ["Port"], s.IrcTlsPort <= 0 || s.IrcTlsPort != s.Port ? null
            : $"<IrcTlsPort> and <Port> are both {s.Port}; give them different ports");
    }
}
