using System.Globalization;

namespace LanTalk.Client.Chat;

/// <summary>
/// Room names as the user types and sees them. The wire never carries '#' (docs/design/protocol-v3.md, "Names");
/// the client shows <c>#dev</c> and accepts <c>dev</c> or <c>#dev</c>.
/// </summary>
internal static class RoomName
{
    /// <summary>The protocol's MaxRoomNameLength default; the server may allow fewer, and it has the last word.</summary>
    public const int MaxLength = 32;

    /// <summary>The name without a leading '#' and surrounding spaces.</summary>
    public static string Normalize(string typed)
    {
        string name = typed.Trim();
        return name.StartsWith('#') ? name[1..] : name;
    }

    public static string Display(string room) => "#" + room;

    /// <summary>
    /// The user-name rules: 1–32 letters, digits, marks, '_', '-', '.', starting with a letter or digit. Checked
    /// here only to explain a typo at once; the server checks again and answers InvalidRoomName.
    /// </summary>
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > MaxLength || !char.IsLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            var category = char.GetUnicodeCategory(c);
            bool mark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
            if (!char.IsLetterOrDigit(c) && !mark && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
