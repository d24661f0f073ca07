using System.Text;
using LanTalk.Client.Connection;

namespace LanTalk.Client.Archive;

/// <summary>
/// The archive folder for one server and one LanTalk user: <c>ROOT/host_port/user/</c>. Names are sanitized so
/// that any host or user name gives one safe folder name on every OS.
/// </summary>
internal static class ArchiveLocation
{
    public static string Folder(string root, ServerAddress server, string user) =>
        Path.Combine(root, ServerFolderName(server), Sanitize(user));

    /// <summary>e.g. <c>chat.lan_65534</c>, or <c>__1__65534</c> for [::1]. Lower case: host names ignore case.</summary>
    public static string ServerFolderName(ServerAddress server) => Sanitize($"{server.Host}_{server.Port}");

    /// <summary>
    /// Keeps letters, digits, '-', '_' and '.', replaces everything else with '_', and lower-cases, because user
    /// names are case-insensitive on the server and file systems differ in case sensitivity.
    /// </summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char c in name.Trim().ToLowerInvariant())
        {
            builder.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        string result = builder.ToString();
        // "", "." and ".." would escape or alias the parent folder.
        return result.Trim('.').Length == 0 ? "_" + result : result;
    }
}
