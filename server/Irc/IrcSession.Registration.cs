using System.Text;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

internal sealed partial class IrcSession
{
    // AUTHENTICATE carries at most 400 base64 bytes per line; PLAIN's three fields need no more than a few lines.
    private const int MaxSaslBytes = 4 * 1024;

    private bool _capNegotiating;
    private bool _v302;
    private string? _user;
    private string? _pass;
    private bool _saslPlainStarted;

    // Credentials given with SASL were refused (904), and no later AUTHENTICATE succeeded: CAP END is then refused
    // like a wrong PASS, not admitted as a guest (a guest is a client that gives neither SASL nor PASS).
    private bool _saslFailed;
    private readonly StringBuilder _saslBuffer = new();

    /// <summary>The account proved by SASL before registration ends, or null.</summary>
    private UserRecord? _account;

    private async ValueTask OnRegisteringAsync(IrcMessage message)
    {
        switch (message.Command)
        {
            case "CAP":
                OnCap(message);
                break;
            case "AUTHENTICATE":
                await OnAuthenticateAsync(message).ConfigureAwait(false);
                break;
            case "PASS":
                if (message.Params.Count == 0)
                {
                    Numeric(IrcNumeric.NeedMoreParams, "PASS", "Not enough parameters");
                    return;
                }

                _pass = message.Params[0];
                break;
            case "NICK":
                if (message.Params.Count == 0 || message.Params[0].Length == 0)
                {
                    Numeric(IrcNumeric.NoNicknameGiven, "No nickname given");
                    return;
                }

                // The older rule: an account holder's nick is its account name, which may predate the rule for new
                // names. A guest's name is checked against that rule when it registers.
                if (!UserNames.IsValidExisting(message.Params[0], _server.Settings.MaxUserNameLength, out string problem))
                {
                    Numeric(IrcNumeric.ErroneousNickname, message.Params[0], $"Erroneous nickname: {problem}");
                    return;
                }

                Nick = message.Params[0];
                break;
            case "USER":
                if (message.Params.Count < 4 || message.Params[0].Length == 0 || message.Params[3].Length == 0)
                {
                    Numeric(IrcNumeric.NeedMoreParams, "USER", "Not enough parameters (USER name 0 * :real name, none of them empty)");
                    return;
                }

                // Shown by WHO and WHOIS only, as IRC servers do (irctest's who.py checks them); message prefixes and
                // the LanTalk identity use the user name.
                _user = message.Params[0].Length > 64 ? message.Params[0][..64] : message.Params[0];
                RealName = message.Params[3].Length > 128 ? message.Params[3][..128] : message.Params[3];
                break;
            case "PING":
                OnPing(message);
                return;
            case "PONG":
                return;
            case "QUIT":
                Quit("Client quit");
                return;
            default:
                Numeric(IrcNumeric.NotRegistered, "You have not registered (log in with SASL PLAIN or PASS user:password, then NICK and USER)");
                return;
        }

        if (!_capNegotiating && _user is not null && Nick != "*")
        {
            await CompleteRegistrationAsync().ConfigureAwait(false);
        }
    }

    private void OnCap(IrcMessage message)
    {
        string sub = message.Param(0).ToUpperInvariant();
        switch (sub)
        {
            case "LS":
                if (State == IrcSessionState.Registering)
                {
                    _capNegotiating = true;
                }

                _v302 |= int.TryParse(message.Param(1), out int version) && version >= 302;
                SendRaw(ServerPrefix, "CAP", Nick, "LS", IrcCapTable.List(_v302, WithheldCaps));
                break;
            case "LIST":
                SendRaw(ServerPrefix, "CAP", Nick, "LIST", IrcCapTable.Names(Caps));
                break;
            case "REQ" when message.Param(1).Trim().Length == 0:
                // A REQ names what it asks for; answering an empty one with "ACK :" told the client it got a request
                // it never made (an IRC audit, 2026-12-05).
                Numeric(IrcNumeric.NeedMoreParams, "CAP", "CAP REQ needs the capabilities it asks for");
                break;
            case "REQ":
                if (State == IrcSessionState.Registering)
                {
                    _capNegotiating = true;
                }

                OnCapReq(message.Param(1));
                break;
            case "END":
                _capNegotiating = false;
                if (_saslPlainStarted)
                {
                    // IRCv3 SASL: registration completing mid-exchange aborts it, and the client is told (it became a
                    // guest without a word; an IRC audit, 2026-12-04). Registration then goes on unauthenticated.
                    ResetSasl();
                    Numeric(IrcNumeric.SaslAborted, "SASL authentication aborted: CAP END came before the exchange finished");
                }

                break;
            default:
                Numeric("410", sub.Length == 0 ? "*" : sub, "Invalid CAP command");
                break;
        }
    }

    /// <summary>
    /// What this server does not offer: draft/chathistory with History off, which advertised a history that every
    /// CHATHISTORY then answered with an empty batch (an IRC audit, 2026-12-04).
    /// </summary>
    private IrcCaps WithheldCaps => _server.RoomHistory.Stores ? IrcCaps.None : IrcCaps.ChatHistory;

    /// <summary>All or nothing, as CAP REQ requires: one unknown name refuses the whole request.</summary>
    private void OnCapReq(string request)
    {
        var add = IrcCaps.None;
        var remove = IrcCaps.None;
        foreach (var item in request.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            bool minus = item.StartsWith('-');
            var flag = IrcCapTable.Find(minus ? item[1..] : item, WithheldCaps);
            if (flag == IrcCaps.None || (minus && flag == IrcCaps.Sasl && State == IrcSessionState.Registered))
            {
                SendRaw(ServerPrefix, "CAP", Nick, "NAK", request);
                return;
            }

            if (minus)
            {
                remove |= flag;
            }
            else
            {
                add |= flag;
            }
        }

        Caps = (Caps | add) & ~remove;
        SendRaw(ServerPrefix, "CAP", Nick, "ACK", request);
    }

    private async ValueTask OnAuthenticateAsync(IrcMessage message)
    {
        string arg = message.Param(0);
        if (_account is not null)
        {
            Numeric(IrcNumeric.SaslAlready, "You have already authenticated using SASL");
            return;
        }

        if (arg == "*")
        {
            ResetSasl();
            Numeric(IrcNumeric.SaslAborted, "SASL authentication aborted");
            return;
        }

        if (!_saslPlainStarted)
        {
            if (!string.Equals(arg, "PLAIN", StringComparison.OrdinalIgnoreCase))
            {
                Numeric(IrcNumeric.SaslMechs, "PLAIN", "are available SASL mechanisms");
                Numeric(IrcNumeric.SaslFail, "SASL authentication failed: only PLAIN is offered");
                return;
            }

            _saslPlainStarted = true;
            SendRaw(null, "AUTHENTICATE", "+");
            return;
        }

        if (arg.Length > 400 || _saslBuffer.Length + arg.Length > MaxSaslBytes)
        {
            ResetSasl();
            Numeric(IrcNumeric.SaslTooLong, "SASL message too long");
            return;
        }

        if (arg != "+")
        {
            _saslBuffer.Append(arg);
        }

        // A 400-byte chunk means more follows (an exact multiple ends with "+").
        if (arg.Length == 400)
        {
            return;
        }

        string payload = _saslBuffer.ToString();
        ResetSasl();
        if (DecodePlain(payload, out string user, out string password) is { } problem)
        {
            _saslFailed = true;
            Numeric(IrcNumeric.SaslFail, "SASL authentication failed: " + problem);
            return;
        }

        var (account, refusal) = await VerifyAsync(user, password).ConfigureAwait(false);
        if (account is null)
        {
            _saslFailed = true;
            Numeric(IrcNumeric.SaslFail, "SASL authentication failed: " + refusal);
            return;
        }

        // A retry after a 904 may succeed (irctest and clients expect AUTHENTICATE to be usable again).
        _saslFailed = false;
        _account = account;
        Numeric(IrcNumeric.LoggedIn, UserPrefix(account.Name), account.Name, $"You are now logged in as {account.Name}");
        Numeric(IrcNumeric.SaslSuccess, "SASL authentication successful");
    }

    /// <summary>
    /// PASS user:password when the part before the first ':' names an account; otherwise the whole parameter is the
    /// password of the nick. So a "server password" field (mIRC, HexChat) works for a password holding ':' (it was
    /// read as user 'ab', password 'cdefgh1'; an IRC audit, 2026-12-06), and one attempt is made, counted against
    /// the one name it tried. A password with ':' whose part before it is an account's name needs nick:password.
    /// An account added by `lantalk-server user add` a moment ago counts, as it does for a ChatSocket login: looked up
    /// in memory only, it was not there until the once-a-second poll, so its PASS user:password was taken as a password
    /// of the nick and refused (a race audit, 2026-12-06).
    /// </summary>
    private async Task<(string User, string Password)> PassCredentialsAsync(string pass)
    {
        int colon = pass.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (Nick, pass);
        }

        string user = pass[..colon];
        // Off the read loop: a Users.xml that changed is read again here.
        bool named = _server.Users.Find(user) is not null || await Task.Run(() => _server.Users.FindFresh(user)).ConfigureAwait(false) is not null;
        return named ? (user, pass[(colon + 1)..]) : (Nick, pass);
    }

    private void ResetSasl()
    {
        _saslPlainStarted = false;
        _saslBuffer.Clear();
    }

    /// <summary>
    /// PLAIN (RFC 4616): authzid NUL authcid NUL password. Null when it decodes, else what is wrong with it. An
    /// authzid, if any, must be the authcid: logging in as one account to act as another is not supported.
    /// </summary>
    internal static string? DecodePlain(string base64, out string user, out string password)
    {
        user = password = string.Empty;
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return "malformed PLAIN response (not base64)";
        }

        var parts = Encoding.UTF8.GetString(raw).Split('\0');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return "malformed PLAIN response (it must be authzid NUL user NUL password)";
        }

        if (parts[0].Length > 0 && !UserNames.Comparer.Equals(parts[0], parts[1]))
        {
            return $"logging in as {parts[1]} to act as another user ({parts[0]}) is not supported; leave the authorization identity empty";
        }

        user = parts[1];
        password = parts[2];
        return null;
    }

    /// <summary>
    /// The account when the password is right; else null and the reason. Throttled and hashed exactly like a ChatSocket
    /// login.
    /// </summary>
    private async Task<(UserRecord? Account, string? Refusal)> VerifyAsync(string user, string password)
    {
        // While the check runs, a full pre-login budget does not take this connection for having waited longest.
        Pending?.LoginUnderway = true;
        try
        {
            return await CheckPasswordAsync(user, password).ConfigureAwait(false);
        }
        finally
        {
            Pending?.LoginUnderway = false;
        }
    }

    private async Task<(UserRecord? Account, string? Refusal)> CheckPasswordAsync(string user, string password)
    {
        if (UserNames.TooLongToLogIn(user, _server.Settings.MaxUserNameLength) is { } tooLong)
        {
            return (null, tooLong);
        }

        var throttle = _server.Throttle;
        bool known = throttle.HasSucceeded(Group.Key, user) || _server.Users.Find(user)?.LastLoginAddress == Address.ToString();
        if (throttle.RetryAfter(Group.Key, user, known) is { } wait)
        {
            if (throttle.ShouldLogRefusal(out string note))
            {
                s_log.Warn("{Session} login for '{User}' refused: too many failures{Note}", this, user, note);
            }
            return (null, $"too many failed logins; try again in {(int)Math.Ceiling(wait.TotalSeconds)} s");
        }

        UserRecord? account;

        await _server.HashSlots.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_server.Users.Find(user) is null)
            {
                // An account added by `lantalk-server user add` a moment ago works at once, not a second later
                // when the watcher's tick notices it; after the throttle, so unknown names cannot force disk reads.
                await Task.Run(_server.Users.Sync).ConfigureAwait(false);
            }

            account = await _server.HashWork.RunAsync(() => _server.Users.Verify(user, password)).ConfigureAwait(false);
            if (account is null)
            {
                throttle.Failed(Group.Key, user);
                s_log.Info("{Session} login as '{User}' refused: wrong user name or password", this, user);
                return (null, "wrong user name or password");
            }
        }
        finally
        {
            _server.HashSlots.Release();
        }

        throttle.Succeeded(Group.Key, user);
        return (account, null);
    }

    private async ValueTask CompleteRegistrationAsync()
    {
        string name;
        UserRecord? account = _account;
        if (account is not null)
        {
            name = account.Name;
        }
        else if (_pass is not null)
        {
            var (user, password) = await PassCredentialsAsync(_pass).ConfigureAwait(false);
            (account, string? refusal) = await VerifyAsync(user, password).ConfigureAwait(false);
            if (account is null)
            {
                // HexChat's and mIRC's server password is PASS alone, sent with whatever nick the client has (alice_
                // after a clash): "wrong user name or password" gave no clue that the nick was taken as the user name
                // (an IRC client audit, 2026-12-06). The hint depends only on what was sent, never on whether the
                // part before ':' is an account: that told an outsider which names exist (a security audit, 2026-12-07).
                string hint = _pass.IndexOf(':', StringComparison.Ordinal) <= 0
                    ? $" (a PASS without a user name logs in as your nick, '{Nick}'; send PASS user:password, or log in with SASL)"
                    : $" (PASS user:password logs in as that user, or, when no account has that name, as your nick, '{Nick}', with all of it as the password; or log in with SASL)";
                Numeric(IrcNumeric.PasswdMismatch, "Password incorrect: " + refusal + hint);
                Quit("Bad password");
                return;
            }

            name = account.Name;
        }
        else if (_saslFailed)
        {
            // A mistyped password must not turn into a guest session that sees none of the user's rooms or messages
            // (an IRC audit, 2026-12-06: HexChat and weechat go on to CAP END after a 904).
            Numeric(IrcNumeric.PasswdMismatch, "Password incorrect: SASL authentication failed (retry AUTHENTICATE, or reconnect)");
            Quit("Bad password");
            return;
        }
        else if (_server.Settings.AllowGuests)
        {
            name = _server.Settings.GuestPrefix + Nick;
            if (!UserNames.IsValid(name, _server.Settings.MaxUserNameLength, out string problem))
            {
                Numeric(IrcNumeric.ErroneousNickname, name, $"Erroneous nickname: {problem}");
                Nick = "*";
                return;
            }

            if (_server.Users.Find(name) is not null)
            {
                Numeric(IrcNumeric.NicknameInUse, name, "Nickname is a registered account; log in with SASL PLAIN or PASS user:password");
                Nick = "*";
                return;
            }

            IsGuest = true;
        }
        else
        {
            Numeric(IrcNumeric.PasswdMismatch, "Password required: this server needs a LanTalk account (SASL PLAIN or PASS user:password)");
            Quit("Password required");
            return;
        }

        // A guest has no account, so nothing is stored for it. Held before the session can be found, so no live
        // private message overtakes the stored ones.
        if (!IsGuest)
        {
            await _server.AfterLoginVerified(name).ConfigureAwait(false);
            HoldLive();
        }

        // Admitted only while the account the password was checked against is still the name's (as a ChatSocket login).
        if (_server.TryJoinIrc(this, name, IsGuest ? null : account) is { } denied)
        {
            ReleaseLive();
            if (denied.Code == LanTalk.Core.Protocol.ErrorCode.None)
            {
                if (GuestNameTaken && !IsClosing)
                {
                    // A guest may pick another nick.
                    GuestNameTaken = false;
                    Numeric(IrcNumeric.NicknameInUse, name, "Nickname is already in use");
                    IsGuest = false;
                    Nick = "*";
                }

                return;
            }

            if (denied.Code == LanTalk.Core.Protocol.ErrorCode.AuthFailed)
            {
                // The account was removed (or removed and created again) while the password was checked: answered as
                // a wrong password, as the ChatSocket login is.
                Numeric(IrcNumeric.PasswdMismatch, "Password incorrect: " + denied.Text);
                Quit("Bad password");
                return;
            }

            bool inUse = denied.Code is LanTalk.Core.Protocol.ErrorCode.AlreadyLoggedIn or LanTalk.Core.Protocol.ErrorCode.TooManySessions;
            if (inUse && IsGuest)
            {
                // A guest may pick another nick; an account holder cannot, since the nick is the account.
                Numeric(IrcNumeric.NicknameInUse, name, denied.Text);
                IsGuest = false;
                Nick = "*";
                return;
            }

            Numeric(inUse ? IrcNumeric.NicknameInUse : IrcNumeric.PasswdMismatch, name, denied.Text);
            Quit(denied.Text);
            return;
        }

        if (!IsGuest)
        {
            _server.Users.RecordLogin(account!, Address.ToString());
            try
            {
                await DeliverStoredAsync().ConfigureAwait(false);
            }
            finally
            {
                ReleaseLive();
            }
        }

        s_log.Info("{Session} registered{Guest}", this, IsGuest ? " as a guest" : string.Empty);
    }

    /// <summary>Called by the roster, under its lock, when the name is admitted.</summary>
    internal void MarkRegistered(string name)
    {
        Nick = name;
        SetRegisteredName(name);
        // Under the registry lock, before it queues the room states (JOIN #lobby...): the welcome burst comes first.
        // The registry adds the session to its roster only after this, so LUSERS counts the user in by hand unless
        // another of its sessions already has it online.
        SendWelcome(newUser: _server.FindAnyOnline(name) is null);
        LoginTimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Volatile.Write(ref _state, (int)IrcSessionState.Registered);
        Connection.Label = $"irc#{Connection.Id} {name}@{Address}";
        Pending?.Release();
    }
}
