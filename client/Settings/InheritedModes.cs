namespace LanTalk.Client.Settings;

/// <summary>
/// Makes owner-only, once at the start of a chat or send, what an older lantalk left readable by others: the first
/// releases created the archive, known_servers and the settings under the umask (022: day files 0644 in 0755
/// folders), and <see cref="PrivateFiles"/> keeps the mode of what exists, so the current client went on appending
/// private messages to world-readable files (an upgrade audit, 2026-12-06). As the server does with a readable
/// Users.xml, it says so once: whoever could read them may have a copy. Checked: the archive root, this server's
/// and user's folders and the files in the user's folder (a folder's listing and a stat per file), the settings
/// folder, Settings.xml and known_servers. Other users' and servers' folders are closed by the root's 0700.
/// </summary>
internal static class InheritedModes
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Takes group and others' permission bits off each of lantalk's paths for <paramref name="archiveFolder"/> that has
    /// any. Returns the note to print (what was changed, and what could not be), or null when nothing was open.
    /// </summary>
    public static string? Tighten(AppPaths paths, string archiveFolder)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var candidates = new List<string> { paths.ArchiveRoot };
        // ROOT/server/user: the server's folder lies between.
        if (Path.GetDirectoryName(archiveFolder) is { } serverFolder && serverFolder != paths.ArchiveRoot)
        {
            candidates.Add(serverFolder);
        }

        candidates.Add(archiveFolder);
        if (Directory.Exists(archiveFolder))
        {
            candidates.AddRange(Directory.EnumerateFiles(archiveFolder).Order(StringComparer.Ordinal));
        }

        candidates.AddRange([paths.ConfigDirectory, paths.SettingsFile, paths.KnownServersFile]);

        var changed = new List<string>();
        var failed = new List<string>();
        foreach (string path in candidates)
        {
            try
            {
                // A symbolic link's own mode means nothing, and what it points to may not be lantalk's.
                var info = new FileInfo(path);
                if ((!info.Exists && !Directory.Exists(path)) || info.LinkTarget is not null)
                {
                    continue;
                }

                var mode = File.GetUnixFileMode(path);
                if ((mode & GroupOrOthers) != 0)
                {
                    File.SetUnixFileMode(path, mode & ~GroupOrOthers);
                    changed.Add(path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failed.Add(path);
            }
        }

        return Note(changed, failed, archiveFolder);
    }

    // One line however many day files there were: the folders and other files by name, the day files counted.
    private static string? Note(List<string> changed, List<string> failed, string archiveFolder)
    {
        if (changed.Count == 0 && failed.Count == 0)
        {
            return null;
        }

        string note = string.Empty;
        if (changed.Count > 0)
        {
            note = $"made owner-only (an older lantalk left them readable by others, who may have copied them): {Describe(changed, archiveFolder)}";
        }

        if (failed.Count > 0)
        {
            note += (note.Length > 0 ? "; " : string.Empty) + $"could not make owner-only (run 'chmod go= PATH' as its owner): {string.Join(", ", failed)}";
        }

        return note;
    }

    private static string Describe(List<string> paths, string archiveFolder)
    {
        var days = paths.Where(p => Path.GetDirectoryName(p) == archiveFolder && p.EndsWith(".log", StringComparison.Ordinal)).ToList();
        var named = paths.Except(days).ToList();
        if (days.Count > 0)
        {
            named.Add(days.Count == 1 ? days[0] : $"{days.Count} day files in {archiveFolder}");
        }

        return string.Join(", ", named);
    }
}
