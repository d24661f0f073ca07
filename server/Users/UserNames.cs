using System.Globalization;

namespace LanTalk.Server.Users;

/// <summary>The user-name rule from docs/PROTOCOL.md: 1..max letters or digits, plus '_', '-', '.', starting with a letter or digit.</summary>
public static class UserNames
{
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    public static bool IsValid(string name, int maxLength, out string problem)
    {
        problem = string.Empty;
        if (name.Length == 0 || name.Length > maxLength)
        {
            problem = $"a user name has 1 to {maxLength} characters";
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
            bool letterOrDigit = char.IsLetterOrDigit(c) || category == UnicodeCategory.NonSpacingMark;
            if (!letterOrDigit && c is not ('_' or '-' or '.'))
            {
                problem = "a user name holds letters, digits, '_', '-' and '.' only";
                return false;
            }
        }

        return true;
    }
}
