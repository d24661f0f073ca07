using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Rooms;
using ProtocolViolationException = LanTalk.Core.Protocol.ProtocolViolationException;

namespace LanTalk.Server.Net;

/// <summary>
/// One client connection on the server: its protocol state, user and message budget. After login it talks to the
/// room registry and the router through their interfaces (<see cref="IRoomRegistry"/>, <see cref="IRouter"/>,
/// <see cref="IRoomHistory"/>), not to the server's internals.
/// </summary>
internal sealed partial class Session : IRoomSession
{
    private readonly ChatServer _server;
    private readonly IRoomRegistry _rooms;
    private readonly IRouter _router;
    private readonly IRoomHistory _history;
    // A SessionState as an int, so that moves can be compare-and-swap: the login task and the close race for it.
    private int _state = (int)SessionState.Connected;

    // Completes once the login being checked is decided (answered, or abandoned); the frames sent after it wait for
    // it (CommandGate). Replaced by each RequestLogin or Register, on the read loop. Complete while no login is being
    // checked (none has begun yet), so that the gate can hold a frame on it in every state.
    private TaskCompletionSource _loginDecided = Decided();

    public Session(ChatServer server, ChatConnection connection, IPEndPoint remote)
    {
        _server = server;
        _rooms = server.RoomCommands;
        _router = server.Router;
        _history = server.RoomHistory;
        Connection = connection;
        Remote = remote;
        Address = PeerAddress.Of(remote.Address);
        Group = server.GroupOf(Address);
        ConnectedTicks = Environment.TickCount64;
        // IPEndPoint brackets an IPv6 address ("[::1]:35204"); "{Address}:{Port}" read "::1:35204".
        Peer = new IPEndPoint(Address, remote.Port).ToString();
        connection.Label = $"#{connection.Id} {Peer}";
        connection.Gate = CommandGate;
        // Until login the queue holds only the login's answers (ServerHello and Pongs go on the priority lane): a
        // closing Error follows them, so a refusal is never overtaken by the violation of a frame pipelined behind it.
        connection.FinalFrameAfterQueued = true;
        _pingTokens = new TokenBucket(server.Pauses, MaxQueuedPongs);
        _messageRate = new MessageRateLimit(server.Pauses);
        _commandRate = new MessageRateLimit(server.Pauses);
    }

    /// <summary>
    /// When the read loop may hand this session its next frame. Ping and Pong never wait.
    /// <para>While a login is checked, every other frame waits, unread, until the login is decided, and is then
    /// handled in the state it left (Authenticated, or HelloDone after a refusal). A client may pipeline commands
    /// after its RequestLogin; handled at once they were a ProtocolViolation, or an authenticated command when the
    /// check happened to finish first (an outside audit: 2–12 % of tries). Asked at dispatch, the gate sees either a
    /// login still being checked (the frame waits) or one decided (the frame follows its answer): the same outcome.
    /// Not bounded by MaxGateWait: a real-cost hash queued behind others may take longer, and the login deadline
    /// (LoginTimeoutSeconds) bounds it instead, by closing the connection.</para>
    /// <para>Once logged in, every command but a message waits until this session's earlier messages were committed
    /// and delivered, so the members see what it changes (a topic, a leave, an away text, a logout) after the
    /// messages sent before it, in the order the client sent them. A message waits for its commit, and a SetTopic sent
    /// right after one reached the members first (the same class as an IRC audit's finding, 2026-12-05).</para>
    /// </summary>
    private GateWait? CommandGate(ChatCommand command) => command is ChatCommand.Ping or ChatCommand.Pong ? null : State switch
    {
        // Set before the state became VerifyingLogin, on this same read loop. Not only while VerifyingLogin: the login
        // leaves that state before its answer is queued (back to HelloDone, then the refusal; Authenticated under the
        // registry's lock, then the Welcome), and a frame that passed in that window was answered ahead of the login,
        // its closing error overtaking the AuthFailed or the Welcome (a spec-only client audit, 2026-12-07).
        _ when !_loginDecided.Task.IsCompleted => GateWait.UntilDone(_loginDecided.Task),
        // A Logout, or the end of stream (asked as a Logout): after the earlier messages, the held echoes go at once.
        SessionState.Authenticated when command is ChatCommand.Logout => GateWait.AtMostMaxWait(ReleaseHeldAfterEarlier()),
        // A request answered from history also waits until its earlier history answers are written (AnswerPacing).
        SessionState.Authenticated when command is ChatCommand.History or ChatCommand.Search or ChatCommand.JoinRoom => GateWait.AtMostMaxWait(WhenEarlierAnsweredAndRead()),
        SessionState.Authenticated when command is not (ChatCommand.PublicMessage or ChatCommand.PrivateMessage) => GateWait.AtMostMaxWait(WhenEarlierAnswered()),
        _ => null,
    };

    // The history answers queued to this session, which the next request answered from history waits to see written.
    private readonly AnswerPacing _answers = new();

    private Task WhenEarlierAnsweredAndRead()
    {
        var earlier = WhenEarlierAnswered();
        var read = _answers.WhenWritten(this);
        if (!read.IsCompleted)
        {
            _server.OnAnswerHeld(this);
        }

        return read.IsCompleted ? earlier : earlier.IsCompleted ? read : Task.WhenAll(earlier, read);
    }

    /// <summary>
    /// The earlier messages committed and delivered, and their echoes queued: at login they are held, with the other
    /// live frames, until the stored messages are queued (<see cref="WhenLiveReleased"/>).
    /// </summary>
    private Task WhenEarlierAnswered()
    {
        var delivered = Sequence.WhenEarlierDelivered();
        var released = WhenLiveReleased();
        return released.IsCompleted ? delivered : delivered.IsCompleted ? released : Task.WhenAll(delivered, released);
    }

    /// <summary>The earlier messages delivered, then the live frames held at login queued (<see cref="ReleaseLiveToClose"/>).</summary>
    private Task ReleaseHeldAfterEarlier()
    {
        var delivered = Sequence.WhenEarlierDelivered();
        if (delivered.IsCompleted)
        {
            ReleaseLiveToClose();
            return delivered;
        }

        return delivered.ContinueWith(_ => ReleaseLiveToClose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public ChatConnection Connection { get; }

    public IPEndPoint Remote { get; }

    /// <summary>The peer as logs show it: the address (IPv4 unmapped, IPv6 in brackets) and port.</summary>
    private string Peer { get; }

    public IPAddress Address { get; }

    /// <summary>What the failed-login throttle and RegistrationsPerAddress count this address as (an IPv6 /64 off-link).</summary>
    public AddressGroup Group { get; }

    public long ConnectedTicks { get; }

    public string? UserName { get; private set; }

    /// <summary>The protocol version from ClientHello; 2 until then, so a pre-Hello frame is judged by v2's table.</summary>
    public ushort Version { get; private set; } = ProtocolLimits.MinVersion;

    /// <summary>ClientHello's OneShot flag: this session takes no stored private messages or pending receipts.</summary>
    public bool OneShot { get; private set; }

    /// <summary>The name in UTF-8, cached once so relaying a message copies bytes instead of encoding.</summary>
    public byte[] UserNameUtf8 { get; private set; } = [];

    public DateTimeOffset LoginTime { get; private set; }

    public bool WasAuthenticated => UserName is not null;

    /// <summary>This connection's place in the pre-login budget; given back at login.</summary>
    public PendingSlot? Pending { get; init; }

    public void SendHello()
    {
        var settings = _server.Settings;
        // On the priority lane, which keeps its own order: a Pong (or a closing Error) for something the client sent
        // at once would otherwise jump ahead of a ServerHello still queued, and ServerHello must be the first frame.
        Connection.SendPriority(ChatCommand.Hello, new ServerHelloPacket(
            ProtocolLimits.MinVersion,
            ProtocolLimits.MaxVersion,
            settings.ServerName,
            settings.MaxFrameSize,
            (ushort)settings.MaxUserNameLength,
            settings.MaxMessageBytes,
            settings.PingIntervalSeconds,
            settings.IdleTimeoutSeconds,
            ChatServer.NowMs,
            (settings.AllowRegistration ? ServerFeatures.Registration : ServerFeatures.None) | (_history.Stores ? ServerFeatures.History : ServerFeatures.None) | ServerFeatures.Resync,
            (uint)Math.Round(settings.MessageRatePerSecond * 1000),
            settings.MessageBurst));
    }

    public SessionState State => (SessionState)Volatile.Read(ref _state);

    private static TaskCompletionSource Decided()
    {
        var decided = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        decided.SetResult();
        return decided;
    }

    /// <summary>Moves from <paramref name="from"/> to <paramref name="to"/>; false when the state was no longer <paramref name="from"/> (e.g. Closed).</summary>
    private bool TryMove(SessionState from, SessionState to) =>
        Interlocked.CompareExchange(ref _state, (int)to, (int)from) == (int)from;

    /// <summary>
    /// Called only by the room registry, under its lock, when a verified login is admitted. False when the session is no
    /// longer verifying (it closed meanwhile): the roster must then refuse it.
    /// </summary>
    public bool TryMarkAuthenticated(string userName)
    {
        // The name is set before the state: the read loop relays messages as soon as it sees Authenticated.
        UserName = userName;
        UserNameUtf8 = Encoding.UTF8.GetBytes(userName);
        LoginTime = DateTimeOffset.UtcNow;
        if (!TryMove(SessionState.VerifyingLogin, SessionState.Authenticated))
        {
            UserName = null;
            UserNameUtf8 = [];
            return false;
        }

        Connection.Label = $"#{Connection.Id} {userName}@{Peer}";
        // From here live traffic joins the queue, and a closing Error's reason matters more than what is pending.
        Connection.FinalFrameAfterQueued = false;
        Pending?.Release();
        return true;
    }

    /// <summary>Called only by the room registry, under its lock, once the connection starts closing. Final.</summary>
    public bool MarkClosed() => (SessionState)Interlocked.Exchange(ref _state, (int)SessionState.Closed) == SessionState.Authenticated;

    [DoesNotReturn]
    private static void Fail(ErrorCode code, string message) => throw new ProtocolViolationException(code, message);

    public override string ToString() => Connection.Label;
}
