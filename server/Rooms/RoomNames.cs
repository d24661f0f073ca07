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

    /// <summary>The rule for a NEW room (<see cref="UserNames.IsValid"/>): JoinRoom creates a room only under such a name.</summary>
    public static bool IsValid(string name, int maxLength, out string problem) =>
        Named(UserNames.IsValid(name, maxLength, out problem), name, ref problem);

    /// <summary>The rule rooms in Rooms.xml were made under (<see cref="UserNames.IsValidExisting"/>): such a room can still be joined.</summary>
    public static bool IsValidExisting(string name, int maxLength, out string problem) =>
        Named(UserNames.IsValidExisting(name, maxLength, out problem), name, ref problem);

    private static bool Named(bool valid, string name, ref string problem)
    {
        if (valid)
        {
            return true;
        }

        // Same rule, but the sentence names rooms, and says what to do with the '#' a user may have typed.
        problem = problem.Replace("a user name", "a room name", StringComparison.Ordinal)
            + (name.StartsWith('#') ? " (leave out the '#': it is how clients show a room, not part of its name)" : string.Empty);
        return false;
    }
}
