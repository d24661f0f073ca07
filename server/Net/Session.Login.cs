using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

internal sealed partial class Session
{
    private void BeginLogin(LoginPacket login, bool register)
    {
        if (_server.Throttle.RetryAfter(Address, login.UserName) is { } wait)
        {
            // Refused before any hashing, so a guesser cannot burn the server's CPU.
            ChatServer.Log.Warn("{Session} login for '{User}' refused: too many failures, retry in {Seconds:0} s", this, login.UserName, wait.TotalSeconds);
            Connection.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.RateLimited,
                $"too many failed logins; try again in {Math.Ceiling(wait.TotalSeconds):0} s"));
            return;
        }

        _state = SessionState.VerifyingLogin;
        _ = Task.Run(() => CompleteLoginAsync(login, register));
    }

    private async Task CompleteLoginAsync(LoginPacket login, bool register)
    {
        try
        {
            var refusal = await VerifyAsync(login, register).ConfigureAwait(false)
                ?? _server.TryJoin(this, CanonicalName(login.UserName));
            if (refusal is null)
            {
                _server.Throttle.Succeeded(Address, login.UserName);
                _server.Users.RecordLogin(UserName!, Address.ToString());
                ChatServer.Log.Info("{Session} logged in", this);
                return;
            }

            if (refusal.Code == ErrorCode.AuthFailed)
            {
                _server.Throttle.Failed(Address, login.UserName);
            }

            ChatServer.Log.Info("{Session} login as '{User}' refused: {Code}", this, login.UserName, refusal.Code);
            _state = SessionState.HelloDone;
            if (refusal.ClosesConnection)
            {
                Connection.Close(new DisconnectReason(DisconnectKind.Local, refusal.Code, refusal.Text), refusal);
            }
            else
            {
                Connection.Send(ChatCommand.Error, string.Empty, refusal);
            }
        }
        catch (Exception ex)
        {
            ChatServer.Log.Error(ex, "{Session} login failed with an internal error", this);
            Connection.Close(new DisconnectReason(DisconnectKind.InternalError, ErrorCode.InternalError, ex.Message),
                new ErrorPacket(ErrorCode.InternalError, "internal error while logging in"));
        }
    }

    /// <summary>Null when the password is right (or the account was created); else the error to send.</summary>
    private async Task<ErrorPacket?> VerifyAsync(LoginPacket login, bool register)
    {
        var store = _server.Users;
        if (register)
        {
            if (!_server.Settings.AllowRegistration)
            {
                return new ErrorPacket(ErrorCode.RegistrationDisabled, "this server does not allow registration; ask the operator for an account");
            }

            if (!UserNames.IsValid(login.UserName, _server.Settings.MaxUserNameLength, out string problem))
            {
                return new ErrorPacket(ErrorCode.InvalidUserName, problem);
            }

            if (PasswordPolicy.Problem(login.Password, _server.Settings.MinPasswordLength) is { } weak)
            {
                return new ErrorPacket(ErrorCode.InvalidUserName, weak);
            }
        }

        await _server.HashSlots.WaitAsync().ConfigureAwait(false);
        try
        {
            if (register)
            {
                try
                {
                    store.Add(login.UserName, login.Password);
                    ChatServer.Log.Info("{Session} registered a new account '{User}'", this, login.UserName);
                    return null;
                }
                catch (UserStoreException)
                {
                    return new ErrorPacket(ErrorCode.UserExists, $"the name '{login.UserName}' is taken");
                }
            }

            return store.Verify(login.UserName, login.Password) is null
                ? new ErrorPacket(ErrorCode.AuthFailed, "wrong user name or password")
                : null;
        }
        finally
        {
            _server.HashSlots.Release();
        }
    }

    /// <summary>The name as stored (its case), so "ALICE" logs in as "alice".</summary>
    private string CanonicalName(string requested) => _server.Users.Find(requested)?.Name ?? requested;
}
