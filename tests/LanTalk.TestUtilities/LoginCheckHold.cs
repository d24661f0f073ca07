using LanTalk.Server.Users;

namespace LanTalk.TestUtilities;

/// <summary>
/// Holds the logins as one user after their password check passed and before they are admitted (the server's
/// LoginVerified hook), so a test can act while such a login is still undecided, with no timing race.
/// </summary>
public sealed class LoginCheckHold
{
    private readonly TaskCompletionSource _verified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _proceed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LoginCheckHold()
    {
    }

    /// <summary>Completes once a login as the user has passed its check and waits here.</summary>
    public Task Verified => _verified.Task;

    /// <summary>Holds every login as <paramref name="user"/> (ChatSocket or IRC) of <paramref name="server"/> until <see cref="Proceed"/>.</summary>
    public static LoginCheckHold For(TestServer server, string user)
    {
        var hold = new LoginCheckHold();
        server.Server.LoginVerified = async name =>
        {
            if (UserNames.Comparer.Equals(name, user))
            {
                hold._verified.TrySetResult();
                await hold._proceed.Task.WaitAsync(Wait.Timeout);
            }
        };
        return hold;
    }

    /// <summary>Lets the held logins go on to be admitted (or refused).</summary>
    public void Proceed() => _proceed.TrySetResult();
}
