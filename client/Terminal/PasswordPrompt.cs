using System.Text;

using LanTalk.Core.Terminal;

namespace LanTalk.Client.Terminal;

/// <summary>Reads a password from the keyboard without echoing anything, not even stars.</summary>
internal static class PasswordPrompt
{
    /// <summary>Returns the password, or null when the user pressed Ctrl+C or Ctrl+D to cancel.</summary>
    public static string? Read(IKeySource keys)
    {
        var password = new StringBuilder();
        while (true)
        {
            var key = keys.ReadKey();
            char c = key.Key switch
            {
                ConsoleKey.Enter => '\r',
                ConsoleKey.Backspace => '\b',
                _ => key.KeyChar,
            };
            switch (c)
            {
                case '\r' or '\n':
                    return password.ToString();
                case '\x03' or '\x04':
                    return null;
                case '\b' or '\x7f':
                    if (password.Length > 0)
                    {
                        // Remove a whole surrogate pair, not half of it.
                        int remove = password.Length >= 2 && char.IsLowSurrogate(password[^1]) ? 2 : 1;
                        password.Length -= remove;
                    }

                    break;
                case '\x15':
                    password.Clear();
                    break;
                default:
                    if (!char.IsControl(c) || char.IsSurrogate(c))
                    {
                        password.Append(c);
                    }

                    break;
            }
        }
    }
}
