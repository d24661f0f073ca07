namespace LanTalk.Server.Users;

/// <summary>The Users.xml files that are not the operator's word on which accounts exist: a file back after going missing, an older copy.</summary>
public sealed partial class UserStore
{
    /// <summary>
    /// An older copy: modified before the file read last. `mv Users.xml.aside Users.xml` (the server's own advice for a
    /// missing file) and a backup restored with its times (`cp -p`, `rsync -a`, `tar x`) bring one back. Every LanTalk
    /// write (the server's, and `user add|remove|passwd`) and every edit is newer than the file it replaces, so an older
    /// time means old contents, never a removal someone just made. A file read with a time still in the future (written
    /// before the clock was stepped back) is no such reference: a `user remove` written now would look older than it.
    /// </summary>
    private static bool IsOlderCopy(FileStamp now, FileStamp loaded) =>
        loaded.Exists && now.WriteTimeUtc < loaded.WriteTimeUtc && loaded.WriteTimeUtc <= DateTime.UtcNow;

    /// <summary>
    /// An older copy replaced the file: it lacks what was added since it was made (`user add` while the file was aside,
    /// which the server merged back in) and holds the passwords of before. It removes no account and takes none back to
    /// an older password: every account held stays as held, and only names the server does not hold are taken from it.
    /// Put back as the ERROR for a missing file advised, the older copy silently deleted an account the operator had
    /// been told was added (an ops audit, 2026-12-06).
    /// </summary>
    /// <returns>Whether the file lacks or differs from what is held, so it must be written again.</returns>
    private bool KeepNewerAccounts(Dictionary<string, UserRecord> fresh, Dictionary<string, UserRecord> held, FileStamp copy, FileStamp loaded)
    {
        var lacking = held.Keys.Where(name => !fresh.ContainsKey(name)).ToList();
        var older = held.Where(pair => fresh.TryGetValue(pair.Key, out var old) && (!SameAccount(old, pair.Value) || !SamePassword(old, pair.Value)))
            .Select(pair => pair.Key).ToList();
        foreach (var (name, user) in held)
        {
            fresh[name] = user;
        }

        if (lacking.Count + older.Count == 0)
        {
            return false;
        }

        string keptLacking = lacking.Count == 0 ? string.Empty
            : $" It lacks {lacking.Count} of the accounts held ({Names(lacking)}): they are kept.";
        string keptNewer = older.Count == 0 ? string.Empty
            : $" It has an older password or an earlier account of that name for {older.Count} ({Names(older)}): the newer ones held are kept.";
        s_log.Warn(
            "{File} was replaced by an older copy (modified {Copy:u}, before {Loaded:u}, when the one read last was: a moved-aside file put back, or a backup "
            + "restored with its times). An older copy removes and changes no account.{Lacking}{Newer} The file is written back with them. "
            + "To remove an account use 'lantalk-server user remove NAME'", FilePath, copy.WriteTimeUtc, loaded.WriteTimeUtc, keptLacking, keptNewer);
        return true;
    }

    /// <summary>
    /// Users.xml came back after it had gone (see <see cref="ThrowIfVanished"/>): the accounts held in memory that the
    /// file lacks are kept and written back, with a warning, instead of being removed. The file that comes back is often
    /// not the one that went: `lantalk-server user add` run while it was missing found no accounts and wrote a file with
    /// the new one only, which removed everyone else (found by fault injection against the published server). Removing
    /// an account takes `lantalk-server user remove`, which never passes through a missing file. The older file put
    /// back after that is <see cref="KeepNewerAccounts"/>'s case.
    /// </summary>
    /// <returns>Whether any account was kept, so the file must be written again.</returns>
    private bool RestoreHeldAccounts(Dictionary<string, UserRecord> fresh, Dictionary<string, UserRecord> held)
    {
        var kept = held.Where(pair => !fresh.ContainsKey(pair.Key)).ToList();
        foreach (var (name, user) in kept)
        {
            fresh[name] = user;
        }

        if (kept.Count > 0)
        {
            s_log.Warn(
                "{File} is back after it had gone missing, without {Count} of the accounts held in memory ({Names}); they are kept and written "
                + "back to it. To remove an account use 'lantalk-server user remove NAME'", FilePath, kept.Count, Names(kept.Select(p => p.Key)));
        }

        return kept.Count > 0;
    }

    private static bool SamePassword(UserRecord a, UserRecord b) =>
        a.Iterations == b.Iterations && a.Salt.AsSpan().SequenceEqual(b.Salt) && a.Hash.AsSpan().SequenceEqual(b.Hash);

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return string.Join(", ", list.Take(20)) + (list.Count > 20 ? $" and {list.Count - 20} more" : string.Empty);
    }
}
