using System.Globalization;
using System.Text;
using LanTalk.Client.Connection;

namespace LanTalk.Client.Archive;

/// <summary>
/// The archive folder for one server and one LanTalk user: <c>ROOT/host_port/user/</c>. Names are sanitized so
/// that any host or user name gives one safe folder name on every OS, and the same one for the same account.
/// </summary>
internal static class ArchiveLocation
{
    /// <summary>
    /// The folder, taking over the one an earlier version named differently (<see cref="LegacySanitize"/>) when
    /// there is no folder under the new name yet.
    /// </summary>
    public static string Folder(string root, ServerAddress server, string user)
    {
        string folder = Path.Combine(root, ServerFolderName(server), Sanitize(user));
        string legacy = Path.Combine(root, LegacySanitize($"{server.Host}_{server.Port}"), LegacySanitize(user));
        if (!string.Equals(folder, legacy, StringComparison.Ordinal) && !Directory.Exists(folder) && Directory.Exists(legacy))
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
                Directory.Move(legacy, folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left where it is (a read-only disk, another lantalk moving it at the same moment): read and written there.
                return Directory.Exists(folder) ? folder : legacy;
            }
        }

        return folder;
    }

    /// <summary>e.g. <c>chat.lan_65534</c>, or <c>__1__65534</c> for [::1]. Lower case: host names ignore case.</summary>
    public static string ServerFolderName(ServerAddress server) => Sanitize($"{server.Host}_{server.Port}");

    // Windows opens these devices instead of a file or folder of that name, with any extension (CON.txt too).
    private static readonly HashSet<string> s_devices = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³",
    };

    /// <summary>
    /// Keeps letters, digits, combining marks, '-', '_' and '.', replaces everything else with '_', and folds case as
    /// the server compares names (<see cref="Fold"/>). Names the server holds apart stay apart: marks were replaced
    /// before, which gave निखिल and नाखाल one folder, and lower-casing gave straße and STRAẞE one while ΟΔΥΣΣΕΥΣ and
    /// οδυσσευς, one account, had two (an archive audit, 2026-12-07). A name Windows reserves for a device, or that
    /// ends in '.', which Windows drops, gets a '_' (after the device name, at the end).
    /// </summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char c in name.Trim())
        {
            builder.Append(char.IsLetterOrDigit(c) || IsMark(c) || c is '-' or '_' or '.' ? Fold(c) : '_');
        }

        string result = builder.ToString();
        // "", "." and ".." would escape or alias the parent folder.
        if (result.Trim('.').Length == 0)
        {
            return "_" + result;
        }

        string stem = result.Split('.')[0];
        if (s_devices.Contains(stem))
        {
            // After the stem: CON.txt is the device as well.
            result = stem + "_" + result[stem.Length..];
        }

        return result.EndsWith('.') ? result + "_" : result;
    }

    /// <summary>
    /// The server compares names after simple upper-casing, except that dotless ı and long ſ map only to themselves
    /// (PROTOCOL.md, user names). A folder name is in lower case where the lower case maps back to the same capital
    /// (every ASCII name keeps the folder earlier versions made); otherwise the capital stays (ẞ is not ß).
    /// </summary>
    private static char Fold(char c)
    {
        if (c is 'ı' or 'ſ')
        {
            return c;
        }

        char upper = char.ToUpperInvariant(c);
        char lower = char.ToLowerInvariant(upper);
        return char.ToUpperInvariant(lower) == upper ? lower : upper;
    }

    private static bool IsMark(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>What versions before 2026-12-07 named folders: marks replaced, lower-cased, nothing appended.</summary>
    private static string LegacySanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char c in name.Trim().ToLowerInvariant())
        {
            builder.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        string result = builder.ToString();
        return result.Trim('.').Length == 0 ? "_" + result : result;
    }
}
