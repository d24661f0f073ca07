namespace LanTalk.Server.Users;

/// <summary>An account new to the server is dated after every message already stored, whatever the wall clock says.</summary>
public sealed partial class UserStore
{
    /// <summary>
    /// Given an account's created date, the date it takes to come after every stored message (the history's
    /// <c>MessageStore.AfterNewestMessage</c>); null without a history. Applied to accounts this process creates and
    /// to accounts a sync finds new (another process's <c>user add</c>), never to those loaded at start.
    /// </summary>
    public Func<DateTimeOffset, DateTimeOffset>? CreatedAfterHistory { get; set; }

    private DateTimeOffset NewAccountCreated(DateTimeOffset created) => CreatedAfterHistory?.Invoke(created) ?? created;

    /// <summary>
    /// Dates the accounts of <paramref name="fresh"/> that <paramref name="held"/> does not hold (new names, or a name
    /// removed and created again) after the stored messages, keeping their identity (originalCreated), as a date in the
    /// future is corrected; and carries such a correction already held over a file that does not have it yet. True
    /// when any was changed; the caller writes the file back.
    /// </summary>
    private bool PlaceNewAccountsAfterHistory(Dictionary<string, UserRecord> fresh, Dictionary<string, UserRecord> held)
    {
        bool changed = false;
        foreach (var user in fresh.Values.ToArray())
        {
            if (held.TryGetValue(user.Name, out var before) && SameAccount(before, user))
            {
                if (user.OriginalCreated is null && before.OriginalCreated is { } original && before.Created > user.Created
                    && original.ToUnixTimeMilliseconds() == user.Created.ToUnixTimeMilliseconds())
                {
                    fresh[user.Name] = user with { Created = before.Created, OriginalCreated = original };
                    changed = true;
                }

                continue;
            }

            var placed = NewAccountCreated(user.Created);
            if (placed > user.Created)
            {
                fresh[user.Name] = user with { Created = placed, OriginalCreated = user.OriginalCreated ?? user.Created };
                Logging.OperatorAlert.Warn(s_log, $"{FilePath}: the new account '{user.Name}' has created=\"{user.Created:o}\", before the newest stored message "
                    + $"(the clock is behind the history: stepped back, or history.db came from a machine ahead of it); it is treated as created {placed:o}, "
                    + "so private messages of an earlier account of its name stay hidden from it, and the file is corrected at its next write");
                changed = true;
            }
        }

        return changed;
    }
}
