using System.Globalization;
using System.Text;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Users;

/// <summary>The user-name rule from docs/PROTOCOL.md: 1..max letters or digits, plus '_', '-', '.', starting with a letter or digit.</summary>
public static class UserNames
{
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>
    /// The largest MaxUserNameLength, and the length every name in Users.xml is read under whatever the setting says.
    /// The wire limit is in bytes (<see cref="MaxBytes"/>), which every name rule checks as well, so a long setting
    /// never lets a name outgrow the fields. 32 (the cap from 2026-12-04 on) stopped first-release data directories,
    /// which allowed 256, from starting at all with a 40-character account (an upgrade audit, 2026-12-06).
    /// </summary>
    public const int MaxLength = 128;

    /// <summary>The protocol's ceiling (PROTOCOL.md, Limits): a name field holds at most 128 UTF-8 bytes.</summary>
    public const int MaxBytes = ProtocolLimits.NameFieldBytes;

    /// <summary>
    /// Null when an account named <paramref name="name"/> may log in under <paramref name="maxLength"/> (the
    /// MaxUserNameLength setting); else why not. Such accounts exist when an operator lowers the setting: ServerHello
    /// announces the limit, and clients may take a longer name in a frame as a protocol violation, so they are
    /// refused at login with this text rather than let in to break other people's clients.
    /// </summary>
    public static string? TooLongToLogIn(string name, int maxLength) => name.Length <= maxLength
        ? null
        : $"the name '{name}' has {name.Length} characters, more than this server's limit of {maxLength} (MaxUserNameLength); ask the operator";

    /// <summary>The operator's warning, with both fixes, for each account <see cref="TooLongToLogIn"/> refuses (start and config check).</summary>
    public static IEnumerable<string> TooLongWarnings(IEnumerable<string> names, int maxLength, string settingsPath) =>
        names.Where(name => TooLongToLogIn(name, maxLength) is not null).Select(name =>
            $"Account '{name}' has {name.Length} characters, more than <MaxUserNameLength> {maxLength} in {settingsPath}: it cannot log in. "
            + $"Raise <MaxUserNameLength> to {name.Length}, or add the user again under a shorter name ('lantalk-server user add') and remove this one.");

    /// <summary>
    /// The operator's warning for each account made before the rule for new names that breaks it (an invisible
    /// character, not NFC): it keeps working, but may look like another account (start and config check).
    /// </summary>
    public static IEnumerable<string> LookAlikeWarnings(IEnumerable<string> names) =>
        names.Select(name => IsValid(name, MaxLength, out string problem) ? null
            : $"Account '{name}' breaks the rule for new names ({problem}), so it may look like another account. "
                + $"It keeps working; if it poses as someone, remove it with 'lantalk-server user remove {name}'.")
            .OfType<string>();

    /// <summary>
    /// The operator's warning for each account made before the GuestPrefix rule under a name that starts with the
    /// prefix (start and config check): it keeps working, but IRC guests' names look like it, and a guest of its nick
    /// gets 433 (docs/PROTOCOL.md, "Guests"). README promised this warning; none came (an upgrade audit, 2026-12-06).
    /// </summary>
    public static IEnumerable<string> GuestPrefixWarnings(IEnumerable<string> names, string guestPrefix) =>
        guestPrefix.Length == 0 ? []
            : names.Where(name => name.StartsWith(guestPrefix, StringComparison.OrdinalIgnoreCase)).Select(name =>
                $"Account '{name}' starts with <GuestPrefix> '{guestPrefix}', which marks IRC guests, so guests may be taken for it and a guest "
                + $"of the nick '{name[guestPrefix.Length..]}' is refused. It keeps working; to tell it from guests, add the user again under "
                + $"another name ('lantalk-server user add') and remove this one ('lantalk-server user remove {name}'), or change <GuestPrefix>.");

    /// <summary>Every warning about accounts in Users.xml that start and config check give: too long, look-alike, guest prefix.</summary>
    public static IEnumerable<string> AccountWarnings(IReadOnlyCollection<string> names, int maxLength, string guestPrefix, string settingsPath) =>
        TooLongWarnings(names, maxLength, settingsPath).Concat(LookAlikeWarnings(names)).Concat(GuestPrefixWarnings(names, guestPrefix));

    /// <summary>
    /// The rule for a NEW user, room or guest name: <see cref="IsValidExisting"/>, no invisible character
    /// (<see cref="DefaultIgnorable"/>) and Unicode NFC (<see cref="ComposedForm"/>), so no new name can look exactly
    /// like another one (a security audit, 2026-12-06: "alice" + U+FE0F registered next to "alice", and NFD "José"
    /// next to NFC "José").
    /// </summary>
    public static bool IsValid(string name, int maxLength, out string problem)
    {
        if (DefaultIgnorable.FirstIn(name) is { } invisible)
        {
            problem = $"a user name may not hold U+{invisible:X4}, an invisible character (Unicode Default_Ignorable_Code_Point) "
                + "that would make it look like another name; type the name again without it";
            return false;
        }

        if (!IsValidExisting(name, maxLength, out problem))
        {
            return false;
        }

        // After the older rule, which keeps names in the Basic Multilingual Plane that ComposedForm is written for.
        if (ComposedForm.FirstChange(name) is var at and >= 0)
        {
            problem = $"a user name must be in Unicode NFC (composed form), and its U+{(int)name[at]:X4} is not: NFC would combine it "
                + "with the character before it or replace it, so the name could look like another one; type the name again "
                + "with composed letters (é, not e + U+0301)";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Null when <paramref name="guestPrefix"/> (GuestPrefix) can start a guest's name, which is the prefix and the
    /// nick: that prefix and a one-letter nick make a valid new user name under <paramref name="maxLength"/>; else the
    /// fix. A prefix no name can start with let the server start and then refused every guest with "432 Erroneous
    /// nickname", blaming the nick (a settings audit, 2026-12-06).
    /// </summary>
    public static string? GuestPrefixProblem(string guestPrefix, int maxLength)
    {
        if (guestPrefix.Length == 0)
        {
            return null;
        }

        if (guestPrefix.Length >= maxLength)
        {
            return $"<GuestPrefix> '{guestPrefix}' has {guestPrefix.Length} characters, which leaves no room for a nick under <MaxUserNameLength> {maxLength}: "
                + $"a guest's name is the prefix and its nick, so every guest would be refused; shorten <GuestPrefix>, or raise <MaxUserNameLength> to at least {guestPrefix.Length + 1}";
        }

        return IsValid(guestPrefix + "a", maxLength, out string problem) ? null
            : $"<GuestPrefix> '{guestPrefix}' cannot start a user name ({problem}): a guest's name is the prefix and its nick, so every guest would be refused; "
                + "use letters, digits, '_', '-' or '.', starting with a letter or digit (guest-, for example), or leave <GuestPrefix> empty";
    }

    /// <summary>
    /// Null when <paramref name="name"/> may be given to a new account: <see cref="IsValid"/>, and it does not start
    /// with the guest prefix, which marks IRC guests (docs/PROTOCOL.md, "Guests"); else why not.
    /// </summary>
    public static string? NewAccountProblem(string name, int maxLength, string guestPrefix)
    {
        if (!IsValid(name, maxLength, out string problem))
        {
            return problem;
        }

        return guestPrefix.Length > 0 && name.StartsWith(guestPrefix, StringComparison.OrdinalIgnoreCase)
            ? $"a user name may not start with '{guestPrefix}', which marks IRC guests on this server (GuestPrefix); pick a name without it"
            : null;
    }

    /// <summary>
    /// The rule that names already in Users.xml and Rooms.xml were made under: letters, digits, combining marks
    /// (non-spacing and spacing), '_', '-' and '.'. Names that break only the newer <see cref="IsValid"/> keep working (log in, join, be
    /// monitored) so that no account or room is lost at an upgrade; they just cannot be created any more.
    /// </summary>
    public static bool IsValidExisting(string name, int maxLength, out string problem)
    {
        problem = string.Empty;
        if (name.Length == 0 || name.Length > maxLength)
        {
            problem = $"a user name has 1 to {maxLength} characters";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(name) is var bytes and > MaxBytes)
        {
            problem = $"a user name fits in {MaxBytes} UTF-8 bytes, and this one has {bytes}";
            return false;
        }

        if (!char.IsLetterOrDigit(name, 0))
        {
            problem = "a user name starts with a letter or digit";
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsSurrogate(c))
            {
                problem = "a user name holds letters, digits, '_', '-' and '.' only";
                return false;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            // Spacing marks (Mc) too: most Indic vowel signs are Mc, and without them "निखिल" (U+093F) or "ராம்"
            // could not be a name at all (a name-rule fixer, 2026-12-06). They print visibly, unlike the invisible
            // characters IsValid refuses.
            bool letterOrDigit = char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            if (!letterOrDigit && c is not ('_' or '-' or '.'))
            {
                problem = "a user name holds letters, digits, '_', '-' and '.' only";
                return false;
            }
        }

        return true;
    }
}
