namespace LanTalk.Server.Users;

/// <summary>
/// The one rule a new password must meet: MinPasswordLength characters (Settings.xml; 8 by default, OWASP's
/// minimum). Registration, 'user add', 'user passwd' and the console's adduser and passwd all ask it.
/// </summary>
public static class PasswordPolicy
{
    /// <summary>Null when <paramref name="password"/> is acceptable; else a sentence that says what is wrong and what is needed.</summary>
    public static string? Problem(string password, int minLength)
    {
        // Characters as people count them: an emoji is one, not two UTF-16 units.
        int length = password.EnumerateRunes().Count();
        if (length == 0)
        {
            return "the password is empty";
        }

        return length < minLength
            ? $"the password is too short: it has {length} character{(length == 1 ? string.Empty : "s")}, and this server requires at least {minLength} (MinPasswordLength)"
            : null;
    }
}
