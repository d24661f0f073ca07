using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// The room-name rule (docs/design/protocol-v3.md §Names): the user-name rule with its own length limit, matched
/// case-insensitively like user names. A room name never holds '#': clients show "#name", the name itself has none.
/// </summary>
public static class RoomNames
{
    /// <summary>The longest room name any setting allows: 32 characters of at most 3 UTF-8 bytes fit RoomRequest's 128-byte Name.</summary>
    public const int MaxLength = 32;

    public static StringComparer Comparer => UserNames.Comparer;

    public static bool IsValid(string name, int maxLength, out string problem)
    {
        if (UserNames.IsValid(name, maxLength, out problem))
        {
            return true;
        }

        // Same rule, but the sentence names rooms, and says what to do with the '#' a user may have typed.
        problem = problem.Replace("a user name", "a room name", StringComparison.Ordinal)
            + (name.StartsWith('#') ? " (leave out the '#': it is how clients show a room, not part of its name)" : string.Empty);
        return false;
    }
}
