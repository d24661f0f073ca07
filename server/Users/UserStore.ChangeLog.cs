namespace LanTalk.Server.Users;

/// <summary>The log lines for accounts that another process (or an edit of Users.xml) added, removed or changed.</summary>
public sealed partial class UserStore
{
    /// <summary>Lines per kind of change; a bulk provisioning (add-test-users) gets one summary line for the rest.</summary>
    private const int LoggedNamesPerChange = 20;

    /// <summary>
    /// One INFO per account that a reload found added, removed (or removed and added again) or with another password.
    /// The log is the operator's only record of who had an account when: only a removal that disconnected someone was
    /// logged, so an account lost to an edit or a put-back file left no trace (an ops audit, 2026-12-06).
    /// </summary>
    private void LogChanges(ChangeSource source, string[] removed, string[] created, string[] passwordChanged)
    {
        string cause = source switch
        {
            ChangeSource.OlderCopy => "an older copy of the file",
            ChangeSource.CameBack => "the file that came back after going missing",
            _ => "'lantalk-server user ...' or an edit of the file",
        };
        var again = new HashSet<string>(removed.Intersect(created, UserNames.Comparer), UserNames.Comparer);
        Each(removed.Where(n => !again.Contains(n)), "removed", name => s_log.Info("Account '{User}' removed: {File} no longer lists it ({Cause})", name, FilePath, cause));
        Each(again, "removed and added again", name => s_log.Info(
            "Account '{User}' removed and added again: {File} lists a new account of that name ({Cause}); the old one's sessions, rooms and stored messages are not the new one's",
            name, FilePath, cause));
        Each(created.Where(n => !again.Contains(n)), "added", name => s_log.Info("Account '{User}' added: {File} lists it now ({Cause})", name, FilePath, cause));
        Each(passwordChanged, "given another password", name => s_log.Info("Account '{User}' has another password in {File} ({Cause})", name, FilePath, cause));
    }

    private void Each(IEnumerable<string> names, string what, Action<string> log)
    {
        int count = 0;
        foreach (string name in names)
        {
            if (++count <= LoggedNamesPerChange)
            {
                log(name);
            }
        }

        if (count > LoggedNamesPerChange)
        {
            s_log.Info("{More} more accounts {What} in {File}", count - LoggedNamesPerChange, what, FilePath);
        }
    }
}
