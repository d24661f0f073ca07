using System.Net;
using LanTalk.Server.Net;
using NLog;

namespace LanTalk.Server.Irc;

/// <summary>
/// One IRC client on the gateway: a session of its LanTalk user like a ChatSocket one, delivered to by the same
/// server routing. Split by concern: registration and SASL (.Registration), the default room as #channel
/// (.Lobby), queries and private messages (.Commands), what the server delivers to it (.Delivery).
/// All handlers run on the connection's read loop, one line at a time.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>The gateway's IRC server name (IrcServerName): the source of numerics, a token since ServerName may hold spaces.</summary>
    public string ServerPrefix => _server.Settings.IrcServerName;

    /// <summary>The host part of every user's prefix: the gateway does not reveal client addresses.</summary>
    public const string UserHost = "lantalk";

    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Irc");

    private readonly ChatServer _server;
    private readonly IPEndPoint _remote;
    private int _state = (int)IrcSessionState.Registering;

    public IrcSession(ChatServer server, IrcConnection connection, IPEndPoint remote)
    {
        _server = server;
        _onlineUsers = new IrcNameSet(server.IrcNames);
        Connection = connection;
        Address = PeerAddress.Of(remote.Address);
        Group = server.GroupOf(Address);
        _remote = remote;
        ConnectedTicks = Environment.TickCount64;
        // IPEndPoint brackets an IPv6 address ("[::1]:35204"); "{Address}:{Port}" read "::1:35204".
        connection.Label = $"irc#{connection.Id} {new IPEndPoint(Address, remote.Port)}";
        // The echoes of messages still being committed go out before a half-close ends the session (a spec audit).
        connection.BeforePeerClose = EarlierMessagesDeliveredAsync;
        _rate = new MessageRateLimit(server.Pauses);
        _keepAlive = new TokenBucket(server.Pauses, KeepAliveBurst);
    }

    public IrcConnection Connection { get; }

    public IPAddress Address { get; }

    /// <summary>What the failed-login throttle counts this address as (an IPv6 /64 off-link).</summary>
    public AddressGroup Group { get; }

    public long ConnectedTicks { get; }

    public IrcSessionState State => (IrcSessionState)Volatile.Read(ref _state);

    /// <summary>The LanTalk user name once registered (the nick), or the nick asked for before.</summary>
    public string Nick { get; private set; } = "*";

    public bool IsGuest { get; private set; }

    private int _guestForgotten;

    /// <summary>True the first time only: the guest's name is forgotten by the rooms once, however often its leave runs.</summary>
    public bool TakeGuestForget() => IsGuest && _registeredName is not null && Interlocked.Exchange(ref _guestForgotten, 1) == 0;

    /// <summary>The registered guest name (the prefix and the nick), once registered.</summary>
    public string? GuestName => IsGuest ? _registeredName : null;

    /// <summary>The USER command's user name, for WHO and WHOIS.</summary>
    public string UserField => _user ?? Nick;

    /// <summary>The USER command's real name, for WHO and WHOIS.</summary>
    public string RealName { get; private set; } = string.Empty;

    /// <summary>When registration completed (Unix ms), as the online list shows it.</summary>
    public long LoginTimeMs { get; private set; }

    public IrcCaps Caps { get; private set; }

    /// <summary>This session's place in the pre-login budget; given back at registration.</summary>
    public PendingSlot? Pending { get; init; }

    /// <summary>Sent a PING for silence and not yet answered; the sweep uses it to send one PING per silence.</summary>
    internal bool PingOutstanding { get; set; }

    public string Prefix => $"{Nick}!{Nick}@{UserHost}";

    /// <summary>Called by the server's roster once the session left it (closed); final.</summary>
    public void MarkClosed() => Volatile.Write(ref _state, (int)IrcSessionState.Closed);

    /// <summary>One framed line from the read loop. Nothing a client sends may throw out of here.</summary>
    public async ValueTask OnLineAsync(IrcFrameResult result, ReadOnlyMemory<byte> bytes)
    {
        // A line refused as too long or malformed spends a token like any other: the server read and parsed it, and
        // answers it, so a flood of them is limited (and cut off) like a flood of commands.
        if (result == IrcFrameResult.TooLong)
        {
            if (TryTakeToken("*"))
            {
                Numeric(IrcNumeric.InputTooLong, "Input line was too long");
            }

            return;
        }

        var error = IrcParser.TryParse(bytes.Span, out var message);
        if (error is not IrcParseError.None && !TryTakeToken(error == IrcParseError.Empty ? string.Empty : "*"))
        {
            return;
        }

        switch (error)
        {
            case IrcParseError.None:
                break;
            case IrcParseError.Empty:
                return;
            case IrcParseError.LineTooLong or IrcParseError.TagsTooLong:
                Numeric(IrcNumeric.InputTooLong, "Input line was too long");
                return;
            case IrcParseError.TooManyParams:
                Numeric(IrcNumeric.NeedMoreParams, message?.Command ?? "*", $"Too many parameters (at most {IrcLimits.MaxParams})");
                return;
            default:
                Numeric(IrcNumeric.UnknownCommand, "*", "Malformed line (no command, a NUL byte or a bad tag)");
                return;
        }

        // A labeled line's refusal carries its label: a client matching answers to requests waits for one per label.
        string? label = State == IrcSessionState.Registered && Caps.HasFlag(IrcCaps.LabeledResponse) ? LabelOf(message!) : null;
        if (!TryTakeToken(message!.Command, label))
        {
            return;
        }

        if (State == IrcSessionState.Registering)
        {
            await OnRegisteringAsync(message).ConfigureAwait(false);
        }
        else if (State == IrcSessionState.Registered)
        {
            if (message.Command is not ("PRIVMSG" or "NOTICE" or "TAGMSG" or "PING" or "PONG"))
            {
                await EarlierMessagesDeliveredAsync().ConfigureAwait(false);
            }

            if (message.Command is "CHATHISTORY" or "JOIN")
            {
                await EarlierAnswersWrittenAsync().ConfigureAwait(false);
            }

            Labeled(message);
        }
    }

    /// <summary>
    /// Waits, before any command but a message (or PING, which has its own barrier), until this session's earlier
    /// messages are committed and delivered, at most <see cref="LanTalk.Core.Transport.ChatConnection.MaxGateWait"/> (the main port's gate, one rule for both): an IRC server handles one client's
    /// commands in the order it reads them, so the members saw a TOPIC, PART or QUIT before the PRIVMSG sent ahead of
    /// it, still being committed (an IRC audit, 2026-12-05). Only this connection's reading waits, for a commit or two.
    /// </summary>
    private ValueTask EarlierMessagesDeliveredAsync() =>
        // A store that takes longer answers the messages with errors soon; the command goes on meanwhile.
        AtMostGateWaitAsync(Sequence.WhenEarlierDelivered());

    /// <summary>Waits for <paramref name="task"/>, at most the main port's MaxGateWait; then the command goes on anyway.</summary>
    private static async ValueTask AtMostGateWaitAsync(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        try
        {
            await task.WaitAsync(LanTalk.Core.Transport.ChatConnection.MaxGateWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The reason it takes this long is dealt with elsewhere (errors from the store, the slow-consumer cut-off).
        }
    }

    // The history answers queued to this session (CHATHISTORY, a JOIN's replay); see AnswerPacing.
    private readonly Rooms.AnswerPacing _answers = new();

    /// <summary>
    /// Before a command answered from history (CHATHISTORY, JOIN): waits until this session's earlier history answers
    /// are written, at most <see cref="LanTalk.Core.Transport.ChatConnection.MaxGateWait"/>, as the main port's gate
    /// does (<see cref="Rooms.AnswerPacing"/>): eight sessions each sending a burst of CHATHISTORY LATEST of 1,000 lines
    /// stalled everyone's messages for seconds (p99 3.5 s) and were then cut off as slow consumers.
    /// </summary>
    private async ValueTask EarlierAnswersWrittenAsync()
    {
        var written = _answers.WhenWritten(this);
        if (written.IsCompleted)
        {
            return;
        }

        _server.OnIrcAnswerHeld(this);
        // A peer that reads nothing is cut off as a slow consumer; one that reads slowly gets the command after it.
        await AtMostGateWaitAsync(written).ConfigureAwait(false);
    }

    /// <summary>A numeric to this client: <c>:server NNN nick params...</c>.</summary>
    internal void Numeric(string numeric, params string[] parameters)
    {
        var all = new string[parameters.Length + 1];
        all[0] = Nick;
        parameters.CopyTo(all, 1);
        Emit(IrcLine.Build(null, ServerPrefix, numeric, all));
    }

    /// <summary>
    /// The UTF-8 bytes left for the trailing parameter of <paramref name="numeric"/> to this client after
    /// <paramref name="middle"/> parameters: what a list split over several lines may put in each (IrcListLines).
    /// </summary>
    internal int NumericRoom(string numeric, params string[] middle) =>
        IrcLimits.MaxLineBytes - 2 - IrcLine.BytesAround(ServerPrefix, numeric, [Nick, .. middle]);

    internal void SendRaw(string? source, string command, params string[] parameters) =>
        Emit(IrcLine.Build(null, source, command, parameters));

    /// <summary>
    /// A channel or user event (JOIN, PART, QUIT, KICK, MODE, TOPIC, INVITE, AWAY). With server-time it carries the
    /// time it was sent, as InspIRCd and Ergo tag every line: a client that shows or logs it later (a bouncer, a
    /// scrolled-back buffer) keeps when it happened, as it does for messages.
    /// </summary>
    /// <remarks>While a fanned-out frame is translated (<see cref="_fanout"/>) the line comes from its cache, built once for all its recipients.</remarks>
    internal void SendEvent(string source, string command, params string[] parameters) =>
        Emit(_fanout is { } frame
            ? frame.EventLine(Caps.HasFlag(IrcCaps.ServerTime), source, command, parameters)
            : IrcLine.BuildEvent(Caps.HasFlag(IrcCaps.ServerTime), source, command, parameters));

    /// <summary>Ends the session with an ERROR line, the way IRC servers close a link.</summary>
    /// <param name="toPeers">
    /// The reason is also the QUIT reason other IRC clients see (the client's own QUIT, a ping timeout, a flood), not a
    /// text addressed to this user alone ("your account was removed").
    /// </param>
    internal void Quit(string reason, bool toPeers = false)
    {
        if (toPeers && !IsClosing)
        {
            Interlocked.CompareExchange(ref _quitReason, reason, null);
        }

        // The nick, not the address: PROTOCOL.md promises that addresses are never shown (an IRC audit, 2026-12-04).
        Connection.Close(reason, IrcLine.Build(null, null, "ERROR", $"Closing Link: {Nick} ({reason})"));
        // A closing connection is no longer logging in: its place in the pre-login budget is free now, not after the
        // final flush and linger (PROTOCOL.md, "When the connection closes"; a spec audit, 2026-12-04).
        Pending?.Release();
    }

    private string? _quitReason;

    public string QuitReason => Volatile.Read(ref _quitReason) ?? string.Empty;

    public override string ToString() => Connection.Label;
}
