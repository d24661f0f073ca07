using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

public sealed partial class ChatClient
{
    private readonly Lock _pendingLock = new();

    // Why the connection ended, once it has (under _pendingLock). A request registered after FailPending ran would
    // otherwise wait out its whole timeout: a server that sends its Hello and at once a closing Error (a refused
    // version, a shutdown) made the login wait 15 s and then blame a firewall, about one run in two (a hostile-server audit).
    private ChatClientException? _ended;
    private readonly Dictionary<uint, TaskCompletionSource<ChatMessage>> _pendingSends = new();
    private readonly List<OnlineUser> _online = new();
    private readonly List<OnlineUser> _listParts = new();
    private TaskCompletionSource<WelcomePacket>? _pendingLogin;

    // The login whose caller gave up (cancelled, timed out) after it was sent; it stays _pendingLogin until answered.
    private TaskCompletionSource<WelcomePacket>? _abandonedLogin;
    private TaskCompletionSource<IReadOnlyList<OnlineUser>>? _pendingUsers;
    private WelcomePacket? _welcome;
    private int _nextTag;

    /// <summary>The users online, as of the last list and presence events.</summary>
    public IReadOnlyList<OnlineUser> OnlineUsers
    {
        get
        {
            lock (_pendingLock)
            {
                return _online.ToArray();
            }
        }
    }

    /// <summary>
    /// Logs in; completes after UserAuthenticated and the first user list. Throws on AuthFailed and the like. A login
    /// whose caller gave up after it was sent stays in flight (the server cannot cancel it): the next login waits for
    /// its answer, and if the server accepted it, returns its Welcome for the same name (throws for another name).
    /// Until a login has completed, every other request throws InvalidOperationException ("log in first") and sends
    /// nothing. On a disposed client it throws ObjectDisposedException.
    /// </summary>
    public Task<WelcomePacket> LoginAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        return AuthenticateAsync(ChatCommand.RequestLogin, userName, password, cancellationToken);
    }

    /// <summary>Creates an account and logs in, where the server allows registration.</summary>
    public Task<WelcomePacket> RegisterAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        return AuthenticateAsync(ChatCommand.Register, userName, password, cancellationToken);
    }

    private async Task<WelcomePacket> AuthenticateAsync(ChatCommand command, string userName, string password, CancellationToken cancellationToken)
    {
        // Before the state checks: a disposed client that had logged in was told "already logging in or logged in".
        ThrowIfDisposed();
        // A token cancelled already sends nothing, so nothing is left in flight.
        cancellationToken.ThrowIfCancellationRequested();
        var frame = Encode(command, string.Empty, new LoginPacket(userName, password));
        var pending = new TaskCompletionSource<WelcomePacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            Task<WelcomePacket>? abandoned;
            lock (_pendingLock)
            {
                if (_pendingLogin is { Task.IsCompleted: true } done && done == _abandonedLogin)
                {
                    // Failed with the connection's end (FailPending leaves it registered): over, not in flight.
                    _pendingLogin = null;
                }

                abandoned = _pendingLogin is { } earlier && earlier == _abandonedLogin ? earlier.Task : null;
                if (abandoned is null)
                {
                    if (UserName is not null && _abandonedLogin is { Task.IsCompletedSuccessfully: true })
                    {
                        _abandonedLogin = null;
                        // The login its caller gave up on was accepted: the session is logged in, and the server
                        // refuses any further login on it. The retry for the same name gets that login's Welcome.
                        return string.Equals(UserName, userName, StringComparison.OrdinalIgnoreCase)
                            ? _welcome!
                            : throw new InvalidOperationException($"already logged in as {UserName}: an earlier login whose caller gave up was accepted");
                    }

                    if (_pendingLogin is not null || UserName is not null)
                    {
                        throw new InvalidOperationException("already logging in or logged in");
                    }

                    ThrowIfEnded();
                    _abandonedLogin = null;
                    _pendingLogin = pending;
                    break;
                }
            }

            // PROTOCOL.md, VerifyingLogin: a login cannot be cancelled on the connection. A second RequestLogin is
            // handled once the first is decided, and after an accepted one it is a ProtocolViolation that closes the
            // connection. A retry after a cancelled or timed-out login sent one at once, and the connection closed
            // (an API audit, 2026-12-06): it waits for the earlier one's answer, and takes a Welcome as its own.
            await WaitForEarlierAsync(abandoned.ContinueWith(static t => { _ = t.Exception; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
                "an earlier login whose caller gave up", cancellationToken).ConfigureAwait(false);
        }

        bool sent = false;
        try
        {
            SendFrame(frame);
            sent = true;
            return await AwaitReply(pending.Task, "login", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_pendingLock)
            {
                if (_pendingLogin == pending)
                {
                    if (sent)
                    {
                        // Cancelled or timed out after it went out: the server still answers it, and that answer (a
                        // Welcome, or an Error that is not the next login's) completes it; until then it is in flight.
                        _abandonedLogin = pending;
                    }
                    else
                    {
                        // A login that failed to send must not keep the client "logging in" for good (a login before
                        // ConnectAsync did: every later LoginAsync threw; an API audit).
                        _pendingLogin = null;
                    }
                }
            }
        }
    }

    /// <summary>Sends a public message and waits for the server's echo, which carries its id and time.</summary>
    public Task<ChatMessage> SendPublicAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendConfirmedAsync(ChatCommand.PublicMessage, string.Empty, text, cancellationToken);
    }

    /// <summary>
    /// Sends a private message; throws UnknownUser or UserOffline when it cannot be delivered. An empty
    /// <paramref name="to"/>, or one over 256 UTF-8 bytes, is refused before anything is sent (ChatClient.Encoding.cs).
    /// </summary>
    public Task<ChatMessage> SendPrivateAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(text);
        return SendConfirmedAsync(ChatCommand.PrivateMessage, to, text, cancellationToken);
    }

    private const uint ConfirmedTagBit = 0x8000_0000;

    /// <summary>
    /// Queues a message without waiting for its echo. Returns false when the connection is closing.
    /// <paramref name="tag"/> must be below 2^31 (else <see cref="ArgumentOutOfRangeException"/>): the upper half
    /// belongs to confirmed sends, and an echo with such a tag would confirm one of them with this message.
    /// </summary>
    public bool PostMessage(string? to, string text, uint tag = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(tag, ConfirmedTagBit);
        return SendFrame(Encode(to is null ? ChatCommand.PublicMessage : ChatCommand.PrivateMessage, to ?? string.Empty, new SendTextPacket(tag, text)));
    }

    private async Task<ChatMessage> SendConfirmedAsync(ChatCommand command, string target, string text, CancellationToken cancellationToken, ChatMessageKind kind = ChatMessageKind.Text)
    {
        var pending = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        uint tag;
        lock (_pendingLock)
        {
            // Confirmed sends use tags with the top bit set; PostMessage callers own the lower half, so the two never collide.
            do
            {
                tag = ConfirmedTagBit | ((uint)Interlocked.Increment(ref _nextTag) & ~ConfirmedTagBit);
            }
            while (_pendingSends.ContainsKey(tag) || _pendingRequests.ContainsKey(tag));

            ThrowIfEnded();

            _pendingSends[tag] = pending;
        }

        byte[] frame;
        try
        {
            frame = Encode(command, target, new SendTextPacket(tag, text, kind));
        }
        catch
        {
            lock (_pendingLock)
            {
                _pendingSends.Remove(tag);
            }

            throw;
        }

        try
        {
            // Inside the try: a send that throws (not connected, say) must not leave its tag registered.
            SendFrame(frame);
            return await AwaitReply(pending.Task, "message confirmation", _options.ConfirmTimeout ?? _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_pendingLock)
            {
                _pendingSends.Remove(tag);
            }
        }
    }

    /// <summary>Asks the server for the current user list.</summary>
    public async Task<IReadOnlyList<OnlineUser>> RequestUsersAsync(CancellationToken cancellationToken = default)
    {
        // Before registering: a request that cannot be sent must not leave the list "requested".
        var frame = Encode(ChatCommand.RequestUsers, string.Empty, EmptyPacket.Instance);
        TaskCompletionSource<IReadOnlyList<OnlineUser>> pending;
        lock (_pendingLock)
        {
            ThrowIfEnded();

            _pendingUsers ??= new TaskCompletionSource<IReadOnlyList<OnlineUser>>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending = _pendingUsers;
        }

        SendFrame(frame);
        return await AwaitReply(pending.Task, "user list", cancellationToken).ConfigureAwait(false);
    }

    private Task<T> AwaitReply<T>(Task<T> reply, string what, CancellationToken cancellationToken) =>
        AwaitReply(reply, what, _options.RequestTimeout, cancellationToken);

    private static async Task<T> AwaitReply<T>(Task<T> reply, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ChatClientException(ChatFailure.TimedOut, $"the server did not answer the {what} within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Under _pendingLock, before a request is registered: fails it at once once the connection has ended.</summary>
    private void ThrowIfEnded()
    {
        if (_ended is { } ended)
        {
            throw ended;
        }
    }

    /// <summary>The requests registered and not yet answered or given up; for tests.</summary>
    internal int PendingCount
    {
        get
        {
            lock (_pendingLock)
            {
                return _pendingSends.Count + _pendingRequests.Count + (_pendingLogin is null ? 0 : 1);
            }
        }
    }

    private void FailPending(ChatClientException failure)
    {
        lock (_pendingLock)
        {
            _ended ??= failure;
            if (_pendingLogin is { } login)
            {
                ReplyFault.Set(login, failure);
            }

            if (_pendingUsers is { } users)
            {
                ReplyFault.Set(users, failure);
            }

            foreach (var request in _pendingRequests.Values)
            {
                ReplyFault.Set(request.Completion, failure);
            }

            foreach (var pending in _pendingSends.Values)
            {
                ReplyFault.Set(pending, failure);
            }
        }
    }

    private static ChatClientException ToException(DisconnectReason reason) => reason.Kind switch
    {
        DisconnectKind.RemoteError => new ChatClientException(ChatClientException.FailureFor(reason.Code), reason.Message, reason.Code, fromServer: true),
        DisconnectKind.ProtocolViolation => new ChatClientException(ChatFailure.ProtocolError, $"the server broke the protocol: {reason.Message}", reason.Code),
        DisconnectKind.Timeout => new ChatClientException(ChatFailure.TimedOut, reason.Message, reason.Code),
        _ => new ChatClientException(ChatFailure.ConnectionLost, $"connection closed: {reason.Message}", reason.Code),
    };
}
