using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

internal sealed partial class Session
{
    private void BeginLogin(LoginPacket login, bool register)
    {
        if (_server.Throttle.RetryAfter(Group.Key, login.UserName, () => IsKnownAddressFor(login.UserName)) is { } wait)
        {
            // Refused before any hashing, so a guesser cannot burn the server's CPU.
            int seconds = (int)Math.Ceiling(wait.TotalSeconds);
            if (_server.Throttle.ShouldLogRefusal(out string note))
            {
                ChatServer.Log.Warn("{Session} login for '{User}' refused: too many failures, retry in {Seconds} s{Note}", this, login.UserName, seconds, note);
            }
            Connection.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.RateLimited,
                $"too many failed logins; try again in {seconds} s"));
            return;
        }

        // Before the state moves: the read loop's gate holds the next frame on it from then on (CommandGate).
        var decided = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loginDecided = decided;
        // Before the check starts: a full pre-login budget does not take a connection whose login is being checked.
        Pending?.LoginUnderway = true;
        if (TryMove(SessionState.HelloDone, SessionState.VerifyingLogin))
        {
            _ = Task.Run(() => CompleteLoginAsync(login, register, decided));
        }
        else
        {
            Pending?.LoginUnderway = false;
            decided.SetResult();
        }
    }

    private async Task CompleteLoginAsync(LoginPacket login, bool register, TaskCompletionSource decided)
    {
        try
        {
            await DecideLoginAsync(login, register, decided).ConfigureAwait(false);
        }
        finally
        {
            // On every path (a throw included): a frame held for this login must not wait past it, nor a command or
            // a cut-off for the live frames held at login (a second release does nothing).
            decided.TrySetResult();
            ReleaseLive();
            // Refused (AuthFailed, UserExists ...): waiting for the next try is waiting like any other connection.
            Pending?.LoginUnderway = false;
        }
    }

    /// <summary>
    /// Checks the login and answers it. <paramref name="decided"/> is completed once the answer is queued and the
    /// state has left VerifyingLogin, so the frames the client sent after its RequestLogin follow the answer.
    /// </summary>
    private async Task DecideLoginAsync(LoginPacket login, bool register, TaskCompletionSource decided)
    {
        try
        {
            var (account, refusal) = await VerifyAsync(login, register).ConfigureAwait(false);
            if (refusal is null)
            {
                account = account ?? throw new InvalidOperationException("a login passed its check without an account");
                await _server.AfterLoginVerified(account.Name).ConfigureAwait(false);
                // Live messages wait from the moment the session can be found until its stored ones are queued, so
                // the stored ones come first (docs/PROTOCOL.md, login order).
                HoldLive();
                // The one place that decides whether a verified login enters the roster; it refuses a closed session,
                // and one whose account was removed (or replaced by a new one of the name) since the check. The name
                // is the account's stored one (its case), so "ALICE" logs in as "alice".
                refusal = _server.TryEnterRoster(this, account);
            }

            if (refusal is null)
            {
                _server.Throttle.Succeeded(Group.Key, login.UserName);
                _server.Users.RecordLogin(account!, Address.ToString());
                ChatServer.Log.Info("{Session} logged in", this);
                // Welcome and the online list are queued (TryEnterRoster): the held frame may go. A message's echo is
                // held with the other live frames until the stored messages are queued, as for any sent after Welcome.
                decided.TrySetResult();
                _server.OnLoginSettled(this, LoginOutcome.Admitted);
                try
                {
                    await DeliverOfflineAsync().ConfigureAwait(false);
                }
                finally
                {
                    ReleaseLive();
                }

                return;
            }

            // Refused: nothing was routed to a session outside the roster, so there is nothing to release.
            ReleaseLive();

            if (refusal.Code == ErrorCode.AuthFailed)
            {
                // Counted even when the connection is gone: a guesser must not dodge the limit by hanging up early.
                _server.Throttle.Failed(Group.Key, login.UserName);
            }
            else if (refusal.Code == ErrorCode.UserExists)
            {
                // It tells that the name has an account: limited like a guess, so names cannot be probed for free.
                _server.Throttle.FailedFromAddress(Group.Key);
            }

            if (refusal.Code == ErrorCode.None || !TryMove(SessionState.VerifyingLogin, SessionState.HelloDone))
            {
                ChatServer.Log.Info("{Session} login as '{User}' abandoned: the connection closed before it could be admitted", this, login.UserName);
                _server.OnLoginSettled(this, LoginOutcome.Abandoned);
                return;
            }

            // The text too: "InvalidUserName" alone did not say that a registration's password was too short (an operations audit).
            ChatServer.Log.Info("{Session} {What} as '{User}' refused: {Code} ({Text})", this, register ? "registration" : "login", login.UserName, refusal.Code, refusal.Text);
            if (refusal.ClosesConnection)
            {
                Connection.Close(new DisconnectReason(DisconnectKind.Local, refusal.Code, refusal.Text), refusal);
            }
            else
            {
                await _server.BeforeLoginRefusal(this).ConfigureAwait(false);
                Connection.Send(ChatCommand.Error, string.Empty, refusal);
            }

            _server.OnLoginSettled(this, LoginOutcome.Refused);
        }
        catch (Exception ex)
        {
            ChatServer.Log.Error(ex, "{Session} login failed with an internal error", this);
            Connection.Close(new DisconnectReason(DisconnectKind.InternalError, ErrorCode.InternalError, ex.Message),
                new ErrorPacket(ErrorCode.InternalError, "internal error while logging in"));
            _server.OnLoginSettled(this, LoginOutcome.Refused);
        }
    }

    /// <summary>
    /// After the room infos: the private messages that waited for this user (the history work; nothing while history
    /// is off). A failure there is logged; the session, already logged in, goes on.
    /// </summary>
    private async Task DeliverOfflineAsync()
    {
        try
        {
            await _history.DeliverOffline(this).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ChatServer.Log.Error(ex, "{Session} stored messages could not be delivered", this);
        }
    }

    /// <summary>
    /// True when this address has logged in as <paramref name="userName"/> before (this run, or the last login
    /// recorded in Users.xml). Such an address is exempt from the per-name failure limit, so guesses from elsewhere
    /// cannot lock the real user out (docs/PROTOCOL.md, "Failed logins").
    /// </summary>
    private bool IsKnownAddressFor(string userName) =>
        _server.Throttle.HasSucceeded(Group.Key, userName)
        || (_server.Users.Find(userName)?.LastLoginAddress is { } last && last == Address.ToString());

    /// <summary>The outcome of a login whose connection closed before it could be admitted. Code None: never sent.</summary>
    internal static readonly ErrorPacket ClosedDuringLogin = new(ErrorCode.None, "the connection closed during the login");

    /// <summary>The account when the password is right (or the account was created); else the error to send.</summary>
    private async Task<LoginCheck> VerifyAsync(LoginPacket login, bool register)
    {
        if (!register && UserNames.TooLongToLogIn(login.UserName, _server.Settings.MaxUserNameLength) is { } tooLong)
        {
            // Before the hash: no name this long can log in, known or not, so the answer tells nothing about accounts.
            return new ErrorPacket(ErrorCode.InvalidUserName, tooLong);
        }

        if (register)
        {
            if (!_server.Settings.AllowRegistration)
            {
                return new ErrorPacket(ErrorCode.RegistrationDisabled, "this server does not allow registration; ask the operator for an account");
            }

            if (UserNames.NewAccountProblem(login.UserName, _server.Settings.MaxUserNameLength, _server.Settings.GuestPrefix) is { } problem)
            {
                return new ErrorPacket(ErrorCode.InvalidUserName, problem);
            }

            if (PasswordPolicy.Problem(login.Password, _server.Settings.MinPasswordLength) is { } weak)
            {
                return new ErrorPacket(ErrorCode.InvalidUserName, weak);
            }

            // A taken name is the user's to fix as well: before the limits, so a client at the limit hears to pick
            // another name rather than to wait an hour (a spec-only client audit, 2026-12-07). A name taken meanwhile
            // is still caught by the creation below.
            if (_server.Users.FindFresh(login.UserName) is not null)
            {
                return new ErrorPacket(ErrorCode.UserExists, $"the name '{login.UserName}' is taken");
            }

            // Last of the checks, so a name or password the user must fix spends no place; before the hash, so a
            // refusal costs nothing. The place goes back when no account comes of it.
            if (_server.Registrations.TryTake(Group.Key) is { } full)
            {
                return RegistrationsSpent(full.Wait, full.ServerWide);
            }

            LoginCheck answer = ClosedDuringLogin;
            try
            {
                answer = await CheckOrCreateAsync(login, register).ConfigureAwait(false);
                return answer;
            }
            finally
            {
                // Also when the check threw: no account came of it.
                if (answer.Refusal is not null)
                {
                    _server.Registrations.GiveBack(Group.Key);
                }
            }
        }

        return await CheckOrCreateAsync(login, register).ConfigureAwait(false);
    }

    private ErrorPacket RegistrationsSpent(TimeSpan wait, bool serverWide)
    {
        var settings = _server.Settings;
        int seconds = (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
        return new ErrorPacket(ErrorCode.RateLimited, serverWide
            ? $"this server has created {settings.RegistrationsPerServer} accounts in the last {settings.RegistrationWindowSeconds} s, the most it allows (RegistrationsPerServer); ask the operator for an account, or try again in {seconds} s"
            : $"{settings.RegistrationsPerAddress} accounts were registered from your address in the last {settings.RegistrationWindowSeconds} s, the most it may (RegistrationsPerAddress); log in with one of them, or try again in {seconds} s");
    }

    /// <summary>The password check, or for Register the account's creation, in a hash slot.</summary>
    private async Task<LoginCheck> CheckOrCreateAsync(LoginPacket login, bool register)
    {
        var store = _server.Users;
        await _server.HashSlots.WaitAsync().ConfigureAwait(false);
        try
        {
            // The peer may have gone while we queued for a hash slot: then nobody hears the answer, and creating an
            // account or spending a PBKDF2 run on it would be wasted (or, for Register, a surprise).
            if (Connection.IsClosing)
            {
                return ClosedDuringLogin;
            }

            if (register)
            {
                // An account sharing its name with an online IRC guest would hand the guest its private messages; the
                // guest keeps the name until it leaves (an operator's `user add` disconnects it instead).
                if (_server.Rooms.SessionsOf(login.UserName) is [{ IsGuest: true }, ..])
                {
                    return new ErrorPacket(ErrorCode.UserExists, $"the name '{login.UserName}' is in use by a guest right now; pick another name");
                }

                try
                {
                    var created = await _server.HashWork.RunAsync(() => store.Add(login.UserName, login.Password)).ConfigureAwait(false);
                    ChatServer.Log.Info("{Session} registered a new account '{User}'", this, login.UserName);
                    return new LoginCheck(created, null);
                }
                catch (UserStoreException) when (store.Find(login.UserName) is not null)
                {
                    return new ErrorPacket(ErrorCode.UserExists, $"the name '{login.UserName}' is taken");
                }
                catch (Exception ex) when (ex is UserStoreException or IOException or UnauthorizedAccessException)
                {
                    // Not a taken name but a store that cannot write (read-only or full disk): say so, do not blame the name.
                    ChatServer.Log.Error("{Session} could not register '{User}': {Reason}", this, login.UserName, ex.Message);
                    return new ErrorPacket(ErrorCode.InternalError, "the server cannot create accounts right now (its data directory cannot be written); try again later or ask the operator");
                }
            }

            return await _server.HashWork.RunAsync(() => store.Verify(login.UserName, login.Password)).ConfigureAwait(false) is { } account
                ? new LoginCheck(account, null)
                : new ErrorPacket(ErrorCode.AuthFailed, "wrong user name or password");
        }
        finally
        {
            _server.HashSlots.Release();
        }
    }
}
